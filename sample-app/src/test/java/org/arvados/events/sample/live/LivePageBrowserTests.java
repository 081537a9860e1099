package org.arvados.events.sample.live;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

/**
 * The live page in a real headless browser (Debian's chromium, driven through its chromedriver): what a user sees
 * while the embedded fake cluster emits events and drops the WebSocket.
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

	@LocalServerPort
	int port;

	@Autowired
	FakeArvadosCluster cluster;

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

	// In one script: rows may come and go (the page keeps the last 50) while the test reads them.
	@SuppressWarnings("unchecked")
	private List<String> rowIds() {
		return (List<String>) ((JavascriptExecutor) this.browser)
			.executeScript("return [...document.querySelectorAll('#events tbody tr')].map((row) => row.dataset.id)");
	}

}
