package io.llmspell.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Redis for the tests: Debian's {@code redis-server} started on a free port of the
 * loopback with a directory of its own (no persistence, as a restart that loses
 * everything is the harder case), else Testcontainers' Redis where Docker exists; without
 * either the test is skipped.
 */
public final class RedisServer implements AutoCloseable {

	private final int port;

	private final Path dir;

	private Process process;

	private GenericContainer<?> container;

	private RedisServer(int port, Path dir) {
		this.port = port;
		this.dir = dir;
	}

	public static RedisServer start() throws IOException {
		if (binary() != null) {
			RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("redis-test"));
			server.startProcess();
			return server;
		}
		assumeTrue(dockerAvailable(), "neither redis-server (apt-get install redis-server) nor Docker is here");
		GenericContainer<?> container = new GenericContainer<>("redis:7.0").withExposedPorts(6379);
		container.start();
		RedisServer server = new RedisServer(container.getMappedPort(6379), null);
		server.container = container;
		return server;
	}

	public String url() {
		return "redis://127.0.0.1:" + port;
	}

	int port() {
		return port;
	}

	/** True when this is a process the test can stop and start again on its port. */
	boolean restartable() {
		return process != null;
	}

	/** Stops it (losing everything) and starts it again on the same port. */
	void restart() throws IOException, InterruptedException {
		stopProcess();
		startProcess();
	}

	void stopProcess() throws InterruptedException {
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
	}

	void startProcess() throws IOException {
		process = new ProcessBuilder(List.of(binary(), "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir",
				dir.toString(), "--save", "", "--appendonly", "no", "--protected-mode", "yes"))
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("redis.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> accepts(port));
	}

	@Override
	public void close() throws InterruptedException {
		if (process != null) {
			stopProcess();
		}
		if (container != null) {
			container.stop();
		}
	}

	private static String binary() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		return null;
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
