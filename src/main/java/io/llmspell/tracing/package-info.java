/**
 * How the service's traces are sampled:
 * {@link io.llmspell.tracing.TraceSamplingConfiguration}. The spans themselves are made
 * where the work is (the request, the run, the LLM and tool calls).
 */
package io.llmspell.tracing;
