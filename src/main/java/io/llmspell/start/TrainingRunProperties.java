package io.llmspell.start;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The training run, under {@code llmspell.training-run}: started with
 * {@code enabled=true} (by {@code scripts/aot-cache.sh}), the service serves a few
 * requests to itself once it is ready and then exits, so that the archive the JVM writes
 * at exit holds the request path's classes too, not only the start's.
 *
 * @param enabled serve the training requests and exit (off in a normal start)
 * @param spells the spells the training runs, those of them that the catalog has
 */
@ConfigurationProperties("llmspell.training-run")
public record TrainingRunProperties(boolean enabled, @DefaultValue( {
		"hello", "async-callbacks" }) List<String> spells){
}
