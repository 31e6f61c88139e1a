package io.llmspell.outbound;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HostAllowlistTests {

	@Test
	void namesWildcardsAndPorts() {
		HostAllowlist allow = new HostAllowlist(
				List.of("api.example.com", "*.example.org", "local.test:8080", "any.test:*"));
		assertThat(allow.permitsHost("api.example.com", 443)).isTrue();
		assertThat(allow.permitsHost("api.example.com", 80)).isTrue();
		assertThat(allow.permitsHost("api.example.com", 8443)).isFalse();
		assertThat(allow.permitsHost("evil-api.example.com", 443)).isFalse();
		assertThat(allow.permitsHost("a.b.example.org", 443)).isTrue();
		assertThat(allow.permitsHost("example.org", 443)).isFalse();
		assertThat(allow.permitsHost("badexample.org", 443)).isFalse();
		assertThat(allow.permitsHost("local.test", 8080)).isTrue();
		assertThat(allow.permitsHost("local.test", 8081)).isFalse();
		assertThat(allow.permitsHost("any.test", 1)).isTrue();
	}

	@Test
	void nonPublicAddressesPassOnlyWhenListedAsThemselves() throws Exception {
		HostAllowlist allow = new HostAllowlist(List.of("*", "127.0.0.1:8089", "[::1]:9000"));
		assertThat(allow.refusal(InetAddress.getByName("93.184.216.34"), 443)).isNull();
		assertThat(allow.refusal(InetAddress.getByName("127.0.0.1"), 8089)).isNull();
		assertThat(allow.refusal(InetAddress.getByName("127.0.0.1"), 8090)).contains("loopback");
		assertThat(allow.refusal(InetAddress.getByName("::1"), 9000)).isNull();
		for (String address : List.of("10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
				"0.0.0.0", "127.1.2.3", "fd00::1", "fe80::1", "::", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::a00:1",
				"2002:a00:1::", "224.0.0.1", "255.255.255.255")) {
			assertThat(allow.refusal(InetAddress.getByName(address), 80)).as(address).isNotNull();
		}
	}

	@Test
	void badEntriesAreRefusedAtStartup() {
		for (String entry : List.of("", "host:0", "host:99999", "bad host", "[::1", "http://x")) {
			assertThatIllegalArgumentException().as(entry).isThrownBy(() -> new HostAllowlist(List.of(entry)));
		}
	}

}
