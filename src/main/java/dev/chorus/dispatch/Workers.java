package dev.chorus.dispatch;

import java.io.IOException;
import java.net.InetAddress;

/** Small facts about workers shared by the in-process worker, worker processes and their launcher. */
final class Workers {

    private Workers() {
    }

    /** {@code <role>-<pid>@<host>}: unique among live workers, readable in a trial's {@code worker} field. */
    static String defaultName(String role) {
        return role + "-" + ProcessHandle.current().pid() + "@" + hostName();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
