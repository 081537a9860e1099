package org.arvados.events.sample.live;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The live page in a real headless browser (Debian's chromium, driven through its chromedriver): what a user sees
 * while the embedded fake cluster emits events and drops the WebSocket: the rows, the chart of events per second,
 * the lag, the phase changes since the stream started, and an event's JSON, all of it the cluster's text as text.
 */
// WebDriver only, no DevTools: Selenium's warning that it has no CDP module for this Chromium is noise here.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ARVADOS_API_HOST=", "arvados.events.reconnect.max-interval=500ms",
				"logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
				"logging.level.org.openqa.selenium.chromium.ChromiumDriver=error" })
@EnabledIf(value = "installedOrRequired", disabledReason = LivePageBrowserTests.SKIPPED)
class LivePageBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	// Set by .ci/run: without a browser the test fails rather than skips.
	private static final String REQUIRED = "live.browser.required";

	private static final String INSTALL = "apt-get install chromium chromium-driver (.ci/run does)";

	static final String SKIPPED = "needs /usr/bin/chromium and /usr/bin/chromedriver: apt-get install chromium "
			+ "chromium-driver (.ci/run does, and sets -D" + REQUIRED + "=true to fail rather than skip without them)";

	private static final Duration WAIT = Duration.ofSeconds(30);

	// As the page writes times: in the browser's time zone, which is this machine's.
	private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
		.withZone(ZoneId.systemDefault());

	@LocalServerPort
	int port;

	@Autowired
	FakeArvadosCluster cluster;

	@Autowired
	ArvadosEventSubscription subscription;

	private WebDriver browser;

	private WebDriverWait wait;

	// Where they are missing, fail rather than skip, once the property asks for the browser.
	@BeforeAll
	static void browserInstalled() {
		if (!installed()) {
			fail("The live page's browser test drives " + CHROMIUM + " through " + CHROMEDRIVER
					+ ", and -D" + REQUIRED + "=true requires them: " + INSTALL);
		}
	}

	// Skip on a machine without them, so that `mvn verify` works anywhere; CI requires them, so that there a
	// missing browser fails the build instead of passing it unseen. Surefire's console says only "Skipped: 1",
	// the reason is in its report: say it where the developer looks.
	static boolean installedOrRequired() {
		if (installed() || Boolean.getBoolean(REQUIRED)) {
			return true;
		}
		System.err.println("LivePageBrowserTests skipped: it " + SKIPPED);
		return false;
	}

	private static boolean installed() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	// Both paths are given, so Selenium Manager is never asked for a driver or a browser (it would download one).
	@BeforeEach
	void openBrowser(@TempDir Path profile) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.wait = new WebDriverWait(this.browser, WAIT);
	}

	@AfterEach
	void quitBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void showsEventsAndTheStreamsStateLiveThroughADroppedConnection() {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		this.wait.until(ExpectedConditions.textToBe(By.id("state"), "LIVE"));
		this.wait.until(ExpectedConditions.textToBe(By.id("page"), "connected"));
		long reconnects = reconnects();

		String collection = FakeArvadosCluster.uuid("4zz18");
		LogEntry created = this.cluster.emit("create", collection, Map.of("new_attributes", Map.of("name", "a")));
		LogEntry renamed = this.cluster.emit("update", collection, Map.of("new_attributes", Map.of("name", "b")));
		assertThat(cells(row(renamed))).containsExactly(Long.toString(renamed.id()), "update", "arvados#collection",
				collection);
		assertThat(cells(row(created))).containsExactly(Long.toString(created.id()), "create", "arvados#collection",
				collection);
		assertThat(rowIds()).as("newest first").containsSubsequence(Long.toString(renamed.id()),
				Long.toString(created.id()));
		assertThat(row(created).findElements(By.tagName("td")).get(4).getText()).as("the date with the time")
			.isEqualTo(LOCAL_TIME.format(created.eventAt()));
		assertThat(this.browser.findElement(By.cssSelector("#events th")).getDomAttribute("title"))
			.as("why ids come out of order, by the id column")
			.contains("commits");

		this.cluster.dropConnections();
		LogEntry meanwhile = this.cluster.emit("update", collection, Map.of("new_attributes", Map.of("name", "c")));
		this.wait.until((browser) -> reconnects() > reconnects);
		this.wait.until(ExpectedConditions.textToBe(By.id("state"), "LIVE"));
		assertThat(this.browser.findElement(By.id("changes")).getDomProperty("textContent")).contains("BACKING_OFF");
		LogEntry after = this.cluster.emit("delete", collection, Map.of());
		assertThat(cells(row(after))).containsExactly(Long.toString(after.id()), "delete", "arvados#collection",
				collection);
		row(meanwhile);
		assertThat(this.browser.findElement(By.id("page")).getText()).isEqualTo("connected");
	}

	@Test
	void aPageThatConnectsLateSeesThePhaseChangesSinceTheStreamStarted() {
		await().atMost(WAIT).until(() -> this.subscription.state().phase() == StreamPhase.LIVE);
		Instant opened = Instant.now();
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		this.wait.until(ExpectedConditions.textToBe(By.id("state"), "LIVE"));

		List<Map<String, String>> changes = changes();
		assertThat(changes).extracting((change) -> change.get("phase"))
			.as("oldest first, from the start")
			.startsWith("VERIFYING")
			.containsSubsequence("CONNECTING", "CATCHING_UP", "LIVE");
		for (String phase : List.of("VERIFYING", "CONNECTING", "CATCHING_UP", "LIVE")) {
			Map<String, String> first = changes.stream()
				.filter((change) -> change.get("phase").equals(phase))
				.findFirst()
				.orElseThrow();
			assertThat(Instant.parse(first.get("at"))).as(phase + ", before the page connected").isBefore(opened);
			assertThat(first.get("text")).as("shown with its date and time")
				.startsWith(LOCAL_TIME.format(Instant.parse(first.get("at"))) + " " + phase);
		}
	}

	@Test
	void chartsTheEventsPerSecondOfEachTypeAndShowsTheLag() {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		this.wait.until(ExpectedConditions.textToBe(By.id("state"), "LIVE"));
		String collection = FakeArvadosCluster.uuid("4zz18");
		for (int i = 0; i < 5; i++) {
			this.cluster.emit("chart-check", collection, Map.of());
		}

		// Counted once their second is over; the rate is over the last 10 seconds.
		this.wait.until((browser) -> legend("chart-check").equals(List.of("chart-check", "0.5/s", "5 in 5 min")));
		String colour = this.browser.findElement(By.cssSelector("#legend li[data-type='chart-check']"))
			.getDomAttribute("data-colour");
		assertThat(pixels(colour)).as("the canvas's pixels in chart-check's colour").isPositive();
		assertThat(pixels("#ff00ff")).as("a colour no type has").isZero();

		assertThat(this.browser.findElement(By.id("lag")).getText()).matches("[0-9.]+ s");
		this.wait.until(ExpectedConditions.textMatches(By.id("last-event"), Pattern.compile("#\\d+, [0-9.]+ s ago")));
	}

	@Test
	void clickingARowShowsTheEventsJsonAsText() {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		this.wait.until(ExpectedConditions.textToBe(By.id("state"), "LIVE"));
		String collection = FakeArvadosCluster.uuid("4zz18");
		String name = "<img src=x onerror=window.injected=1> json-check";
		LogEntry event = this.cluster.emit("<i>update</i>", collection,
				Map.of("new_attributes", Map.of("name", name)));

		WebElement row = row(event);
		assertThat(cells(row)).as("markup in an event type is text").contains("<i>update</i>");
		row.click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("json-text"), "json-check"));
		String json = this.browser.findElement(By.id("json-text")).getText();
		assertThat(json).contains("\"id\": " + event.id() + ",")
			.contains("\"event_type\": \"<i>update</i>\"")
			.contains("\"object_uuid\": \"" + collection + "\"")
			.contains("\"name\": \"" + name + "\"");
		assertThat(this.browser.findElement(By.id("json-id")).getText()).isEqualTo("#" + event.id());
		assertThat(this.browser.findElement(By.id("json-note")).getText()).contains("characters");
		assertThat(row(event).getDomAttribute("class")).contains("selected");
		assertThat(this.browser.findElements(By.cssSelector("#json img, #events i, #legend i")))
			.as("markup from the cluster, never made into elements")
			.isEmpty();
		assertThat(((JavascriptExecutor) this.browser).executeScript("return window.injected === undefined"))
			.isEqualTo(true);

		this.browser.findElement(By.id("json-close")).click();
		assertThat(this.browser.findElement(By.id("json")).isDisplayed()).isFalse();
	}

	private long reconnects() {
		return Long.parseLong(this.browser.findElement(By.id("reconnects")).getText());
	}

	private WebElement row(LogEntry event) {
		return this.wait.until(ExpectedConditions
			.presenceOfElementLocated(By.cssSelector("#events tbody tr[data-id='" + event.id() + "']")));
	}

	private List<String> cells(WebElement row) {
		return row.findElements(By.tagName("td")).stream().limit(4).map(WebElement::getText).toList();
	}

	// Oldest first: the page lists them newest first.
	@SuppressWarnings("unchecked")
	private List<Map<String, String>> changes() {
		return (List<Map<String, String>>) ((JavascriptExecutor) this.browser).executeScript("""
				return [...document.querySelectorAll('#changes li')].reverse()
					.map((item) => ({ phase: item.dataset.phase, at: item.dataset.at, text: item.textContent }))""");
	}

	// The type, its rate and its count over the chart's window; empty while it has none.
	@SuppressWarnings("unchecked")
	private List<String> legend(String type) {
		return (List<String>) ((JavascriptExecutor) this.browser).executeScript("""
				const item = [...document.querySelectorAll('#legend li')].find((li) => li.dataset.type === arguments[0]);
				return item ? [...item.querySelectorAll('.type, .rate, .total')].map((part) => part.textContent) : [];
				""", type);
	}

	// How many of the chart's pixels are exactly this colour (#rrggbb), opaque.
	private long pixels(String colour) {
		return ((Number) ((JavascriptExecutor) this.browser).executeScript("""
				const canvas = document.getElementById('chart');
				const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
				const [r, g, b] = [1, 3, 5].map((at) => parseInt(arguments[0].slice(at, at + 2), 16));
				let count = 0;
				for (let i = 0; i < data.length; i += 4) {
					if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) count++;
				}
				return count;
				""", colour)).longValue();
	}

	// In one script: rows may come and go (the page keeps the last 50) while the test reads them.
	@SuppressWarnings("unchecked")
	private List<String> rowIds() {
		return (List<String>) ((JavascriptExecutor) this.browser)
			.executeScript("return [...document.querySelectorAll('#events tbody tr')].map((row) => row.dataset.id)");
	}

}
