package org.arvados.events.checkpoint;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The file store on a real file system: what it saves is read back whole, a save cut short leaves the previous
 * checkpoint, a file it cannot use stops the start, and one process at a time holds the file.
 */
class FileEventCheckpointStoreTests {

	private static final Checkpoint WITH_GAPS = new Checkpoint(1207,
			List.of(new ResumePosition.Range(1190, 1190), new ResumePosition.Range(1201, 1203)));

	@TempDir
	Path folder;

	@Test
	void whatIsSavedIsLoadedAfterARestart() {
		Path file = this.folder.resolve("state/arvados-events.checkpoint");
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			assertThat(store.isDurable()).isTrue();
			assertThat(store.load()).as("no file yet").isEmpty();
			store.save(Checkpoint.after(1100));
			store.save(WITH_GAPS);
			assertThat(store.load()).contains(WITH_GAPS);
		}
		try (FileEventCheckpointStore restarted = new FileEventCheckpointStore(file)) {
			assertThat(restarted.load()).contains(WITH_GAPS);
		}
		assertThat(file).content(StandardCharsets.UTF_8).isEqualTo(WITH_GAPS.toJson());
		assertThat(this.folder.resolve("state/arvados-events.checkpoint.tmp")).as("renamed, not left").doesNotExist();
	}

	@Test
	void aSaveCutShortBeforeTheRenameLeavesThePreviousCheckpoint() throws IOException {
		Path file = this.folder.resolve("arvados-events.checkpoint");
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			store.save(WITH_GAPS);
		}
		// What a crash between writing the temporary file and renaming it leaves: a newer, half-written one.
		Path temporary = this.folder.resolve("arvados-events.checkpoint.tmp");
		Files.writeString(temporary, "{\"v\":1,\"highest\":13", StandardCharsets.UTF_8);
		try (FileEventCheckpointStore restarted = new FileEventCheckpointStore(file)) {
			assertThat(restarted.load()).contains(WITH_GAPS);
			restarted.save(Checkpoint.after(1300));
			assertThat(restarted.load()).contains(Checkpoint.after(1300));
		}
		assertThat(temporary).doesNotExist();
	}

	// In a folder others can write, a link planted at the temporary file's name must not lead the save elsewhere.
	@Test
	void aLinkPlantedAtTheTemporaryNameLeavesItsTargetUntouched() throws IOException {
		Path victim = Files.writeString(this.folder.resolve("victim.txt"), "precious", StandardCharsets.UTF_8);
		Path file = this.folder.resolve("arvados-events.checkpoint");
		Path planted = this.folder.resolve("arvados-events.checkpoint.tmp");
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			Files.createSymbolicLink(planted, victim);
			store.save(WITH_GAPS);
			store.save(Checkpoint.after(1300));
			assertThat(store.load()).contains(Checkpoint.after(1300));
		}
		assertThat(victim).content(StandardCharsets.UTF_8).isEqualTo("precious");
		assertThat(Files.isSymbolicLink(file)).as("the checkpoint is a file of its own").isFalse();
		assertThat(file).content(StandardCharsets.UTF_8).isEqualTo(Checkpoint.after(1300).toJson());
		try (Stream<Path> left = Files.list(this.folder)) {
			assertThat(left.map((path) -> path.getFileName().toString()))
				.as("no temporary file left, and the planted link left alone")
				.containsExactlyInAnyOrder("victim.txt", "arvados-events.checkpoint", "arvados-events.checkpoint.lock",
						"arvados-events.checkpoint.tmp");
		}
	}

	@Test
	void theFileAndItsLockAreTheOwnersAlone() throws IOException {
		assumeThat(this.folder.getFileSystem().supportedFileAttributeViews()).contains("posix");
		Path file = this.folder.resolve("arvados-events.checkpoint");
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			store.save(WITH_GAPS);
		}
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.folder.resolve(
				"arvados-events.checkpoint.lock")))).isEqualTo("rw-------");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"v\":1,\"highest\":12", "", "{\"v\":2,\"highest\":12,\"gaps\":[]}",
			"{\"v\":1,\"highest\":12,\"gaps\":[[14,15]]}", "{\"v\":1,\"highest\":18446744073709551617,\"gaps\":[]}",
			"{\"v\":1,\"highest\":12,\"gaps\":[[-18446744073709551617,3]]}" })
	void aFileThatIsNoCheckpointStopsTheStartSayingWhatToDo(String content) throws IOException {
		Path file = this.folder.resolve("arvados-events.checkpoint");
		Files.writeString(file, content, StandardCharsets.UTF_8);
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			assertThatIllegalStateException().isThrownBy(store::load)
				.isInstanceOf(CheckpointUnreadableException.class)
				.withMessageContaining(file.toString())
				.withMessageContaining("is unusable: ")
				.withMessageContaining("delete it to start from arvados.events.start-from");
		}
		assertThat(file).as("left for the operator to look at").content(StandardCharsets.UTF_8).isEqualTo(content);
	}

	@Test
	void aFileThatIsNotTextStopsTheStart() throws IOException {
		Path file = this.folder.resolve("arvados-events.checkpoint");
		Files.write(file, new byte[] { (byte) 0xff, (byte) 0xfe, 0, 1 });
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			assertThatIllegalStateException().isThrownBy(store::load)
				.withMessageContaining("it is not UTF-8 text")
				.withMessageContaining("delete it");
		}
	}

	@Test
	void aFolderOrTheRootIsRefusedAsTheFileWithoutAdvisingToDeleteIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FileEventCheckpointStore(this.folder))
			.withMessage("The Arvados events checkpoint file must be a file, and " + this.folder + " is a folder")
			.withMessageNotContainingAny("delete", "Delete");
		Path root = this.folder.getRoot();
		assertThatIllegalArgumentException().isThrownBy(() -> new FileEventCheckpointStore(root))
			.withMessage("The Arvados events checkpoint file must be a file, and " + root + " is a folder");
	}

	@Test
	void aFolderPutInPlaceOfTheFileStopsTheStartWithoutAdvisingToDeleteIt() throws IOException {
		Path file = this.folder.resolve("arvados-events.checkpoint");
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			Files.createDirectory(file);
			assertThatIllegalStateException().isThrownBy(store::load)
				.withMessageContaining(file + " is unusable: it is a folder")
				.withMessageNotContainingAny("delete", "Delete");
		}
	}

	@Test
	void aSecondStoreInTheSameProcessIsRefused() {
		Path file = this.folder.resolve("arvados-events.checkpoint");
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			assertThatIllegalStateException().isThrownBy(() -> new FileEventCheckpointStore(file))
				.withMessageContaining(file.toString())
				.withMessageContaining("is in use by another store in this process");
			store.save(WITH_GAPS);
		}
		try (FileEventCheckpointStore next = new FileEventCheckpointStore(file)) {
			assertThat(next.load()).as("closing released the lock").contains(WITH_GAPS);
		}
	}

	@Test
	void aSecondProcessIsRefusedUntilTheFirstClosesTheStore() throws Exception {
		Path file = this.folder.resolve("arvados-events.checkpoint");
		try (FileEventCheckpointStore store = new FileEventCheckpointStore(file)) {
			store.save(WITH_GAPS);
			Probe refused = probe(file);
			assertThat(refused.exitCode()).as(refused.output()).isEqualTo(FileStoreLockProbe.REFUSED);
			assertThat(refused.output()).startsWith("REFUSED The Arvados events checkpoint file " + file
					+ " is in use by another process (its lock " + file + ".lock is held)");
		}
		Probe next = probe(file);
		assertThat(next.exitCode()).as(next.output()).isZero();
		assertThat(next.output()).isEqualTo("LOADED " + WITH_GAPS.toJson());
	}

	@Test
	void aClosedStoreRefusesToWork() {
		FileEventCheckpointStore store = new FileEventCheckpointStore(this.folder.resolve("c"));
		store.close();
		store.close();
		assertThatIllegalStateException().isThrownBy(store::load).withMessageEndingWith("is closed");
		assertThatIllegalStateException().isThrownBy(() -> store.save(WITH_GAPS)).withMessageEndingWith("is closed");
	}

	private Probe probe(Path file) throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Path output = Files.createTempFile(this.folder, "probe", ".log");
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				FileStoreLockProbe.class.getName(), file.toString())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe exits").isTrue();
			return new Probe(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
		}
		finally {
			process.destroyForcibly();
		}
	}

	private record Probe(int exitCode, String output) {
	}

}
