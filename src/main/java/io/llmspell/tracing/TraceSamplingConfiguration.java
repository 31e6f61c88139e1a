package io.llmspell.tracing;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Traces are sampled only where they go somewhere. Boot's sampler keeps
 * {@code management.tracing.sampling.probability} of the traces (0.1 by default) whether
 * or not a span exporter is configured; with none (no OTLP endpoint, the embedded
 * default), the recorded spans are dropped at the end, and recording them cost ~1% of a
 * trivial run's CPU. Without an exporter this sampler starts no sampled trace of its own:
 * spans still exist and carry their trace ids (the run's log line, {@code traceparent} to
 * the providers), and a caller's sampled parent is still followed. With an exporter it is
 * Boot's: parent-based, trace-id ratio at the configured probability.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ SdkTracerProvider.class, TracingProperties.class })
class TraceSamplingConfiguration {

	private static final Logger log = LoggerFactory.getLogger(TraceSamplingConfiguration.class);

	@Bean
	Sampler exportAwareSampler(ObjectProvider<TracingProperties> tracing, ObjectProvider<SpanExporter> exporters) {
		if (exporters.stream().findAny().isEmpty()) {
			log.info("No span exporter is configured: new traces are not sampled "
					+ "(set management.opentelemetry.tracing.export.otlp.endpoint to export them)");
			return Sampler.parentBased(Sampler.alwaysOff());
		}
		return Sampler.parentBased(Sampler
			.traceIdRatioBased(tracing.getIfAvailable(TracingProperties::new).getSampling().getProbability()));
	}

}
