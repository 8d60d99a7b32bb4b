package dev.piperpc.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What {@code --version} prints: the project version the build wrote into {@code version.properties}. */
final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IOException("version.properties is missing from the class path");
            }
            properties.load(in);
        }
        return new String[] {"piperpc " + properties.getProperty("version")};
    }
}
