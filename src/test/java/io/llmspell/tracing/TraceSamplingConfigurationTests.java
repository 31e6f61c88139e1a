package io.llmspell.tracing;

import java.util.List;
import java.util.stream.IntStream;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which traces are recorded with and without a span exporter, with Boot's tracing
 * auto-configuration in place.
 */
class TraceSamplingConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class))
		.withUserConfiguration(TraceSamplingConfiguration.class);

	@Test
	void withoutAnExporterNoNewTraceIsSampledWhateverTheProbability() {
		this.contexts.withPropertyValues("management.tracing.sampling.probability=1.0").run((context) -> {
			assertThat(context).hasSingleBean(Sampler.class);
			Sampler sampler = context.getBean(Sampler.class);
			assertThat(decisions(sampler, Context.root())).containsOnly(SamplingDecision.DROP);
		});
	}

	@Test
	void withoutAnExporterACallersSampledParentIsStillFollowed() {
		this.contexts.run((context) -> {
			Sampler sampler = context.getBean(Sampler.class);
			assertThat(decisions(sampler, parent(TraceFlags.getSampled())))
				.containsOnly(SamplingDecision.RECORD_AND_SAMPLE);
			assertThat(decisions(sampler, parent(TraceFlags.getDefault()))).containsOnly(SamplingDecision.DROP);
		});
	}

	@Test
	void withAnExporterTheConfiguredProbabilityApplies() {
		this.contexts.withUserConfiguration(Exporter.class)
			.withPropertyValues("management.tracing.sampling.probability=1.0")
			.run((context) -> assertThat(decisions(context.getBean(Sampler.class), Context.root()))
				.containsOnly(SamplingDecision.RECORD_AND_SAMPLE));
		this.contexts.withUserConfiguration(Exporter.class)
			.withPropertyValues("management.tracing.sampling.probability=0.0")
			.run((context) -> assertThat(decisions(context.getBean(Sampler.class), Context.root()))
				.containsOnly(SamplingDecision.DROP));
	}

	@Test
	void withAnExporterBootsDefaultKeepsSomeTracesAndDropsOthers() {
		this.contexts.withUserConfiguration(Exporter.class)
			.run((context) -> assertThat(decisions(context.getBean(Sampler.class), Context.root()))
				.contains(SamplingDecision.RECORD_AND_SAMPLE, SamplingDecision.DROP));
	}

	/** The decisions for 1,000 new trace ids under one parent context. */
	private static List<SamplingDecision> decisions(Sampler sampler, Context parent) {
		IdGenerator ids = IdGenerator.random();
		return IntStream.range(0, 1000)
			.mapToObj((i) -> sampler
				.shouldSample(parent, ids.generateTraceId(), "run", SpanKind.INTERNAL, Attributes.empty(), List.of())
				.getDecision())
			.toList();
	}

	private static Context parent(TraceFlags flags) {
		IdGenerator ids = IdGenerator.random();
		SpanContext remote = SpanContext.createFromRemoteParent(ids.generateTraceId(), ids.generateSpanId(), flags,
				TraceState.getDefault());
		return Context.root().with(Span.wrap(remote));
	}

	@Configuration(proxyBeanMethods = false)
	static class Exporter {

		@Bean
		SpanExporter inMemorySpans() {
			return InMemorySpanExporter.create();
		}

	}

}
