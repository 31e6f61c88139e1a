package io.llmspell.test;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * HTTP clients for tests against a server on a random port: a new connection per request.
 * Reusing keep-alive connections from Reactor Netty's pool, a test client now and then
 * left a request unsent until its timeout (the server logged it only when the client
 * closed); curl against the same server reuses connections without trouble.
 */
public final class TestHttp {

	private TestHttp() {
	}

	public static ClientHttpConnector connector() {
		return new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection()));
	}

	public static WebClient webClient(int port) {
		return WebClient.builder().clientConnector(connector()).baseUrl("http://localhost:" + port).build();
	}

	public static WebTestClient.Builder webTestClient(int port) {
		return WebTestClient.bindToServer(connector()).baseUrl("http://localhost:" + port);
	}

}
