package dev.chorus.mtl.data;

import dev.chorus.mtl.sampling.SamplingSpec;

/** Where a study's rows come from, as written in its search-space file, and how epochs sample them. */
public sealed interface DatasetSpec permits SyntheticSpec, CsvSpec, ImageSpec {

    /** How training epochs pick rows; {@link SamplingSpec#ALL} unless the file says otherwise. */
    SamplingSpec sampling();
}
