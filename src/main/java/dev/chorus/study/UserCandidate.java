package dev.chorus.study;

import java.util.List;
import java.util.Map;

/**
 * A candidate a person proposes for a study, by task names. Every field but {@code groups} may be
 * left out; {@link CandidateRequests} fills it from the study's search space.
 *
 * @param groups    the models: each a list of task names; every task of the study exactly once
 * @param weighting a weighting the space allows (default: its first)
 * @param weights   task name to loss weight, for {@code fixed} (default 1 for every task)
 */
public record UserCandidate(List<List<String>> groups, String weighting, Map<String, Double> weights,
                            Integer trunkWidth, Integer trunkDepth, Double learningRate, Integer epochs,
                            Integer batchSize, String architecture, Integer headDepth, Integer experts) {
}
