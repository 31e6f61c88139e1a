package io.llmspell.run;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How long this instance remembers finished runs, under {@code llmspell.runs}. Runs live
 * in memory only: past either bound a finished run and its events are gone and its id
 * answers 404.
 *
 * @param retentionTime how long a finished run is kept after its {@code done} event
 * @param maxRetained how many finished runs are kept at most; the oldest go first
 * @param sweepInterval how often expired runs are dropped when nothing else happens
 * @param maxRetainedBytes how many bytes of events the finished runs kept may take in
 * all; the oldest go first
 */
@ConfigurationProperties("llmspell.runs")
public record RunsProperties(@DefaultValue("10m") Duration retentionTime, @DefaultValue("1000") int maxRetained,
		@DefaultValue("30s") Duration sweepInterval, @DefaultValue("128MB") DataSize maxRetainedBytes) {

	@ConstructorBinding
	public RunsProperties {
		if (maxRetainedBytes == null || maxRetainedBytes.isNegative()) {
			throw new IllegalArgumentException("llmspell.runs.max-retained-bytes must be zero or positive");
		}
		if (retentionTime == null || retentionTime.isNegative()) {
			throw new IllegalArgumentException("llmspell.runs.retention-time must be zero or positive");
		}
		if (maxRetained < 0) {
			throw new IllegalArgumentException("llmspell.runs.max-retained must be zero or positive");
		}
		if (sweepInterval == null || sweepInterval.isNegative() || sweepInterval.isZero()) {
			throw new IllegalArgumentException("llmspell.runs.sweep-interval must be positive");
		}
	}

	/** With the default bound on bytes. */
	public RunsProperties(Duration retentionTime, int maxRetained, Duration sweepInterval) {
		this(retentionTime, maxRetained, sweepInterval, DataSize.ofMegabytes(128));
	}

}
