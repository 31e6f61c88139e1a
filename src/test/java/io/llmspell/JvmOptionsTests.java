package io.llmspell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's JVM flags file ({@code docker/jvm.options}, the ENTRYPOINT's and the AOT
 * training run's {@code @/app/jvm.options}): a flag this JDK does not know, or a second
 * GC, would stop every container at start, and only the Docker test (skipped without
 * Docker) would see it.
 */
class JvmOptionsTests {

	private static final Pattern FLAG = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)", Pattern.MULTILINE);

	@Test
	void theImageFlagsStartAJvmWithG1AndHalfTheHeapYoung() throws Exception {
		Map<String, String> flags = finalFlags("@" + Path.of("docker/jvm.options").toAbsolutePath());
		assertThat(flags).extractingByKeys("UseG1GC", "NewRatio", "SurvivorRatio", "MaxRAMPercentage")
			.containsExactly("true", "1", "4", "75.000000");
	}

	private static Map<String, String> finalFlags(String options) throws IOException, InterruptedException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, options, "-XX:+PrintFlagsFinal", "-version")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		Map<String, String> flags = new HashMap<>();
		Matcher matcher = FLAG.matcher(output);
		while (matcher.find()) {
			flags.put(matcher.group(1), matcher.group(2));
		}
		assertThat(flags).as(output).containsKey("UseG1GC");
		return flags;
	}

}
