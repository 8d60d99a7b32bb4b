package dev.piperpc.queue;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Blobs as files in one directory that every manager and worker host can reach (a shared volume,
 * NFS, EFS). A blob is written under a temporary name and renamed, so a reader never sees half of it.
 */
public final class FileBlobStore implements BlobStore {

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{32}\\.blob");

    private final Path directory;

    /**
     * A store in {@code directory}, created if missing.
     *
     * @throws BlobStoreException if it cannot be created
     */
    public FileBlobStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new BlobStoreException("cannot create the blob directory " + this.directory + ": " + e, e);
        }
    }

    @Override
    public String put(byte[] data) {
        String name = UUID.randomUUID().toString().replace("-", "") + ".blob";
        Path target = directory.resolve(name);
        Path partial = directory.resolve(name + ".part");
        try {
            Files.write(partial, data);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the first error is the one to report
            }
            throw new BlobStoreException("cannot store a blob of " + data.length + " bytes in " + directory + ": " + e, e);
        }
        return target.toUri().toString();
    }

    @Override
    public byte[] get(String location) {
        Path file = fileOf(location);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BlobStoreException("blob " + location + " is gone", e);
        } catch (IOException e) {
            throw new BlobStoreException("cannot read blob " + location + ": " + e, e);
        }
    }

    @Override
    public void delete(String location) {
        Path file = fileOf(location);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new BlobStoreException("cannot delete blob " + location + ": " + e, e);
        }
    }

    /** The file a location of this store names; anything else is refused. */
    private Path fileOf(String location) {
        Path file;
        try {
            file = Path.of(java.net.URI.create(location)).normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new BlobStoreException("not a blob location of " + this + ": " + location, e);
        }
        if (!directory.equals(file.getParent()) || !NAME.matcher(file.getFileName().toString()).matches()) {
            throw new BlobStoreException("not a blob location of " + this + ": " + location);
        }
        return file;
    }

    /** For messages: {@code file:DIR}. */
    @Override
    public String toString() {
        return "file:" + directory;
    }
}
