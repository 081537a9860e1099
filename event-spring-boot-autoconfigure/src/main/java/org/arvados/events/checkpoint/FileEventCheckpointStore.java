package org.arvados.events.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the position in a file, for one process at a time. A save writes a new {@code <file>.<random>.tmp}, forces
 * it to disk, renames it over the file atomically and forces the folder, so the file always holds a whole
 * checkpoint: the old one or the new one. {@code <file>.lock} is locked from construction until {@link #close()}; a
 * second process (or a second store in this one) that opens the same file is refused.
 * <p>
 * The folder may be one others can write: the temporary file is created anew under a name nobody can guess, never
 * through a link, and both it (so the file) and the lock are the owner's alone where the file system has POSIX
 * permissions.
 */
public class FileEventCheckpointStore implements EventCheckpointStore, AutoCloseable {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private final Path file;

	private final Path folder;

	private final FileChannel lockChannel;

	private final FileLock lock;

	private boolean closed;

	/**
	 * Open the store and lock it.
	 * @param file the file that keeps the position; its folder is created if missing
	 * @throws IllegalArgumentException if the path is a folder, or the root
	 * @throws IllegalStateException if another process or another store in this one holds the file
	 * @throws UncheckedIOException if the folder or the lock file cannot be created
	 */
	public FileEventCheckpointStore(Path file) {
		this.file = file.toAbsolutePath().normalize();
		Path folder = this.file.getParent();
		if (folder == null || Files.isDirectory(this.file)) {
			throw new IllegalArgumentException("The Arvados events checkpoint file must be a file, and " + this.file
					+ " is a folder");
		}
		this.folder = folder;
		Path lockFile = folder.resolve(this.file.getFileName() + ".lock");
		try {
			Files.createDirectories(folder);
			this.lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					LinkOption.NOFOLLOW_LINKS), ownerOnly(folder));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the lock file " + lockFile
					+ " of the Arvados events checkpoint: " + ex, ex);
		}
		this.lock = lock(this.lockChannel, lockFile);
		removeTemporaryFilesLeft();
	}

	private static FileAttribute<?>[] ownerOnly(Path folder) {
		return folder.getFileSystem().supportedFileAttributeViews().contains("posix")
				? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) } : new FileAttribute<?>[0];
	}

	// Saves cut short by a crash leave their temporary files (and earlier versions used <file>.tmp). The lock is
	// held, so none is being written; removing a link removes the link, not what it points at.
	private void removeTemporaryFilesLeft() {
		Pattern left = Pattern.compile(Pattern.quote(this.file.getFileName().toString()) + "(\\.[0-9a-f]{32})?\\.tmp");
		try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(this.folder,
				(path) -> left.matcher(path.getFileName().toString()).matches())) {
			for (Path temporary : temporaries) {
				Files.deleteIfExists(temporary);
			}
		}
		catch (IOException | DirectoryIteratorException ex) {
			// Left as it is: another user's file in a shared folder, which no save ever opens.
		}
	}

	private FileLock lock(FileChannel channel, Path lockFile) {
		String inUse = "The Arvados events checkpoint file " + this.file + " is in use by ";
		String why = " (its lock " + lockFile + " is held): two instances must not share one checkpoint file";
		try {
			FileLock held = channel.tryLock();
			if (held != null) {
				return held;
			}
			closeQuietly(channel);
			throw new IllegalStateException(inUse + "another process" + why);
		}
		catch (OverlappingFileLockException ex) {
			closeQuietly(channel);
			throw new IllegalStateException(inUse + "another store in this process" + why);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new UncheckedIOException("Cannot lock " + lockFile + " for the Arvados events checkpoint: " + ex,
					ex);
		}
	}

	/**
	 * The file that keeps the position.
	 * @return its absolute path
	 */
	public Path getFile() {
		return this.file;
	}

	/**
	 * {@inheritDoc} A missing file is no checkpoint; a temporary file left over (a save cut short) is ignored.
	 * @throws IllegalStateException if the file exists but cannot be read or holds no checkpoint
	 */
	@Override
	public synchronized Optional<Checkpoint> load() {
		assertOpen();
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.decode(ByteBuffer.wrap(Files.readAllBytes(this.file)))
				.toString();
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (CharacterCodingException ex) {
			throw unreadable("it is not UTF-8 text");
		}
		catch (IOException ex) {
			if (Files.isDirectory(this.file)) {
				// Never the advice to delete it: a folder is not ours to remove.
				throw new CheckpointUnreadableException("The Arvados events checkpoint file " + this.file
						+ " is unusable: it is a folder. Not starting: set arvados.events.checkpoint.file to the path "
						+ "of a file");
			}
			throw unreadable("it cannot be read (" + ex + ")");
		}
		try {
			return Optional.of(Checkpoint.parse(text));
		}
		catch (IllegalArgumentException ex) {
			throw unreadable(ex.getMessage());
		}
	}

	private CheckpointUnreadableException unreadable(@Nullable String problem) {
		return new CheckpointUnreadableException("The Arvados events checkpoint file " + this.file + " is unusable: " + problem
				+ ". Not starting rather than resuming at the wrong place: delete it to start from "
				+ "arvados.events.start-from.");
	}

	/**
	 * {@inheritDoc}
	 * @throws CheckpointStoreUnavailableException if it could not be written (a full disk): the file then still
	 * holds the previous checkpoint
	 */
	@Override
	public synchronized void save(Checkpoint checkpoint) {
		assertOpen();
		ByteBuffer bytes = ByteBuffer.wrap(checkpoint.toJson().getBytes(StandardCharsets.UTF_8));
		// CREATE_NEW fails on anything already there, a link included: a name planted in advance cannot be used.
		Path temporary = this.folder.resolve(this.file.getFileName() + "."
				+ UUID.randomUUID().toString().replace("-", "") + ".tmp");
		boolean moved = false;
		try {
			try (FileChannel out = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly(this.folder))) {
				while (bytes.hasRemaining()) {
					out.write(bytes);
				}
				out.force(true);
			}
			Files.move(temporary, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			moved = true;
		}
		catch (AtomicMoveNotSupportedException ex) {
			throw new CheckpointStoreUnavailableException("Cannot save the Arvados events checkpoint: "
					+ this.file.getParent() + " does not support an atomic rename", ex);
		}
		catch (IOException ex) {
			throw new CheckpointStoreUnavailableException("Cannot save the Arvados events checkpoint to " + this.file
					+ ": " + ex, ex);
		}
		finally {
			if (!moved) {
				deleteQuietly(temporary);
			}
		}
		forceFolder();
	}

	// The rename is durable once the folder's entry is; Windows cannot open a folder as a channel, and needs not.
	private void forceFolder() {
		try (FileChannel folder = FileChannel.open(this.file.getParent(), StandardOpenOption.READ)) {
			folder.force(true);
		}
		catch (IOException | UnsupportedOperationException ex) {
			// Not possible on this platform: the rename is as durable as it allows.
		}
	}

	/**
	 * Release the lock: another process may use the file from now on.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.lock.release();
		}
		catch (IOException ex) {
			// Closing the channel below releases it as well.
		}
		closeQuietly(this.lockChannel);
	}

	private void assertOpen() {
		if (this.closed) {
			throw new IllegalStateException("The Arvados events checkpoint store on " + this.file + " is closed");
		}
	}

	private static void deleteQuietly(Path temporary) {
		try {
			Files.deleteIfExists(temporary);
		}
		catch (IOException ex) {
			// Removed at the next start.
		}
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Nothing to release beyond the channel.
		}
	}

	@Override
	public String toString() {
		return "FileEventCheckpointStore[" + this.file + "]";
	}

}
