package dev.chorus.mtl.data;

/** Where a study's rows come from, as written in its search-space file. */
public sealed interface DatasetSpec permits SyntheticSpec, CsvSpec {
}
