package io.llmspell.web;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The playground in a real headless Chromium (Debian's chromium and chromium-driver;
 * skipped where they are not installed), and CORS as a browser applies it: a page on an
 * allowed origin starts runs, a page on another origin is refused and starts none.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "llmspell.llm.provider=mock",
		"llmspell.llm.mock.latency=300ms", "llmspell.spells.refresh-interval=0" })
class PlaygroundBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final int ALLOWED_PORT = freePort();

	private static HttpServer allowedSite;

	private static HttpServer foreignSite;

	private static WebDriver browser;

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("llmspell.spells.dir", () -> TestSpells.dir().toString());
		registry.add("llmspell.http.cors.allowed-origins", () -> "http://127.0.0.1:" + ALLOWED_PORT);
	}

	@BeforeAll
	static void startBrowser() throws IOException {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"needs Debian's chromium and chromium-driver");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1400,900");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		allowedSite = site(ALLOWED_PORT);
		foreignSite = site(freePort());
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
		if (allowedSite != null) {
			allowedSite.stop(0);
			foreignSite.stop(0);
		}
	}

	@Test
	void parallelCallbacksArriveLive() throws IOException {
		open("async-callbacks");
		new Select(browser.findElement(By.id("param-mode"))).selectByVisibleText("parallel");
		WebElement topic = browser.findElement(By.id("param-topic"));
		topic.clear();
		// the mock answers each call after 2 s
		topic.sendKeys("[delay=2000] Lua");
		browser.findElement(By.id("run")).click();

		// the spell's first line is on the page while its calls are still out: events
		// come
		// live, not at the end
		waitFor(Duration.ofSeconds(30))
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("output"), "started 5 calls"));
		assertThat(events("callback")).isEmpty();
		waitFor(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("status"), "ok"));
		assertThat(events("callback")).hasSize(5);
		assertThat(browser.findElement(By.id("calls")).getText()).isEqualTo("5");
		assertThat(browser.findElement(By.id("output")).getText()).contains("started 5 calls");
		Path shot = Path.of("target/playground.png");
		Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
	}

	@Test
	void theGeneratedFormSendsTypedParameters() {
		open("typed-params");
		browser.findElement(By.id("param-count")).sendKeys("3");
		browser.findElement(By.id("param-ratio")).clear();
		browser.findElement(By.id("param-ratio")).sendKeys("0.25");
		browser.findElement(By.id("param-shout")).click();
		new Select(browser.findElement(By.id("param-mode"))).selectByVisibleText("slow");
		browser.findElement(By.id("param-tags")).sendKeys("[\"a\", \"b\"]");
		browser.findElement(By.id("param-meta")).sendKeys("{\"k\": 1}");
		browser.findElement(By.id("run")).click();

		waitFor(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("status"), "ok"));
		String output = browser.findElement(By.id("output")).getText();
		// (the page's tabs read as spaces)
		assertThat(output).contains("count 3 number", "ratio 0.25 number", "shout true boolean", "tags {a, b} table",
				"meta {k=1} table");
		assertThat(browser.findElement(By.id("result")).getText()).contains("\"mode\": \"SLOW\"", "\"ratio\": 0.25");
	}

	@Test
	void aRunIsCancelledFromThePage() {
		open("ticker");
		WebElement count = browser.findElement(By.id("param-count"));
		count.clear();
		count.sendKeys("500");
		browser.findElement(By.id("run")).click();
		waitFor(Duration.ofSeconds(30))
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events li[data-event=output]")));
		browser.findElement(By.id("cancel")).click();

		waitFor(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("status"), "cancelled"));
		assertThat(events("error")).singleElement()
			.satisfies((error) -> assertThat(error.getText()).contains("cancelled by DELETE"));
	}

	@Test
	void aPageOnAnotherOriginIsRefusedUnlessAllowed() {
		long before = finishedRuns("hello");
		browser.get("http://127.0.0.1:" + foreignSite.getAddress().getPort() + "/?api=" + api());
		waitFor(Duration.ofSeconds(20)).until((driver) -> driver.getTitle().startsWith("done"));
		assertThat(browser.getTitle()).isEqualTo("done: refused");

		browser.get("http://127.0.0.1:" + ALLOWED_PORT + "/?api=" + api());
		waitFor(Duration.ofSeconds(20)).until((driver) -> driver.getTitle().startsWith("done"));
		assertThat(browser.getTitle()).isEqualTo("done: 202");
		// the allowed page's run finishes; the refused one never started
		waitFor(Duration.ofSeconds(20)).until((driver) -> finishedRuns("hello") >= before + 1);
		assertThat(finishedRuns("hello")).isEqualTo(before + 1);
	}

	private String api() {
		return "http://127.0.0.1:" + port;
	}

	private void open(String spell) {
		browser.get(api() + "/?spell=" + spell);
		waitFor(Duration.ofSeconds(20))
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("spell-name"), spell));
	}

	private List<WebElement> events(String name) {
		return browser.findElements(By.cssSelector("#events li[data-event=" + name + "]"));
	}

	private static WebDriverWait waitFor(Duration timeout) {
		return new WebDriverWait(browser, timeout);
	}

	private long finishedRuns(String spell) {
		return meters.find("llmspell.runs").tag("spell", spell).timers().stream().mapToLong(Timer::count).sum();
	}

	/**
	 * A page that POSTs a "simple" cross-origin request (no preflight) to the API named
	 * in its query and puts the outcome in its title.
	 */
	private static HttpServer site(int port) throws IOException {
		byte[] page = """
				<!DOCTYPE html><html><head><title>loading</title></head><body><script>
				const api = new URLSearchParams(location.search).get('api');
				fetch(api + '/spells/hello/runs', { method: 'POST' })
				  .then((r) => { document.title = 'done: ' + r.status; })
				  .catch(() => { document.title = 'done: refused'; });
				</script></body></html>
				""".getBytes(StandardCharsets.UTF_8);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.createContext("/", (exchange) -> {
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, page.length);
			exchange.getResponseBody().write(page);
			exchange.close();
		});
		server.start();
		return server;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
