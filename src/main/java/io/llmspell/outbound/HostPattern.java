package io.llmspell.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

import org.springframework.util.StringUtils;

/**
 * One entry of {@code llmspell.http.allow}: {@code host}, {@code host:port} or
 * {@code host:*}; the host is a name ({@code api.example.com}), a wildcard for its
 * subdomains ({@code *.example.com}), {@code *} for every host, or an IP address
 * ({@code 127.0.0.1}, {@code [::1]}). Without a port the entry allows 80 and 443.
 *
 * @param host the host, lower case; an IP address in its canonical form
 * @param port the port, or {@link #ANY_PORT}, or {@link #DEFAULT_PORTS}
 * @param address the address when the host is an IP address literal, else null
 */
record HostPattern(String host, int port, InetAddress address) {

	static final int ANY_PORT = -1;

	static final int DEFAULT_PORTS = -2;

	static HostPattern parse(String entry) {
		String text = entry.strip().toLowerCase(Locale.ROOT);
		if (text.isEmpty()) {
			throw new IllegalArgumentException("llmspell.http.allow: empty entry");
		}
		String host = text;
		String port = null;
		if (text.startsWith("[")) {
			int close = text.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException("llmspell.http.allow: bad IPv6 entry '" + entry + "'");
			}
			host = text.substring(1, close);
			if (text.length() > close + 1) {
				if (text.charAt(close + 1) != ':') {
					throw new IllegalArgumentException("llmspell.http.allow: bad entry '" + entry + "'");
				}
				port = text.substring(close + 2);
			}
		}
		else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
			host = text.substring(0, text.indexOf(':'));
			port = text.substring(text.indexOf(':') + 1);
		}
		int parsedPort = DEFAULT_PORTS;
		if (port != null) {
			parsedPort = "*".equals(port) ? ANY_PORT : parsePort(port, entry);
		}
		InetAddress address = literal(host);
		if (address == null && !validName(host)) {
			throw new IllegalArgumentException("llmspell.http.allow: bad host in '" + entry + "'");
		}
		return new HostPattern((address != null) ? address.getHostAddress() : host, parsedPort, address);
	}

	/**
	 * Whether a request to {@code host} (lower case) on {@code port} passes this entry.
	 */
	boolean matchesHost(String host, int port) {
		if (!matchesPort(port)) {
			return false;
		}
		if (this.address != null) {
			InetAddress other = literal(host);
			return other != null && other.equals(this.address);
		}
		if ("*".equals(this.host)) {
			return true;
		}
		if (this.host.startsWith("*.")) {
			return host.endsWith(this.host.substring(1));
		}
		return this.host.equals(host);
	}

	/** Whether this entry names {@code address} itself (and the port). */
	boolean matchesAddress(InetAddress address, int port) {
		return this.address != null && this.address.equals(address) && matchesPort(port);
	}

	private boolean matchesPort(int port) {
		return switch (this.port) {
			case ANY_PORT -> true;
			case DEFAULT_PORTS -> port == 80 || port == 443;
			default -> this.port == port;
		};
	}

	/** The address a host written as an IP literal stands for; null for a name. */
	static InetAddress literal(String host) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		boolean ipv4 = bare.matches("\\d{1,3}(\\.\\d{1,3}){3}");
		boolean ipv6 = bare.indexOf(':') >= 0 && bare.matches("[0-9a-fA-F:.%]+");
		if (!ipv4 && !ipv6) {
			return null;
		}
		try {
			// a literal: parsed, never looked up
			return InetAddress.getByName(bare);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static boolean validName(String host) {
		String name = host.startsWith("*.") ? host.substring(2) : host;
		return "*".equals(host) || (StringUtils.hasText(name) && name.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?"));
	}

	private static int parsePort(String port, String entry) {
		try {
			int value = Integer.parseInt(port);
			if (value > 0 && value < 65536) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// below
		}
		throw new IllegalArgumentException("llmspell.http.allow: bad port in '" + entry + "'");
	}

}
