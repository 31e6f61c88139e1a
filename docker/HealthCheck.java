import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The image's HEALTHCHECK: exit 0 when the liveness probe answers 200, 1 otherwise. The JRE image
 * has no curl, and a class the image already has a JVM for needs nothing installed.
 * Usage: java HealthCheck [path]; the port is MANAGEMENT_SERVER_PORT, else SERVER_PORT, else 8080.
 */
public final class HealthCheck {

	public static void main(String[] args) {
		String path = (args.length > 0) ? args[0] : "/actuator/health/liveness";
		String port = firstSet(System.getenv("MANAGEMENT_SERVER_PORT"), System.getenv("SERVER_PORT"), "8080");
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
				.toURL()
				.openConnection();
			connection.setConnectTimeout(2000);
			connection.setReadTimeout(3000);
			int status = connection.getResponseCode();
			System.out.println(path + ": " + status);
			System.exit((status == 200) ? 0 : 1);
		}
		catch (Exception ex) {
			System.out.println(path + ": " + ex);
			System.exit(1);
		}
	}

	private static String firstSet(String... values) {
		for (String value : values) {
			if (value != null && !value.isBlank()) {
				return value.strip();
			}
		}
		return null;
	}

}
