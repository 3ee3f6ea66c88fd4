package scorerci.zip;

import java.nio.file.Path;

/** One file to put in the zip: its name at the zip root (or below) and where to read it. */
public record ZipInput(String name, Path source) {}
