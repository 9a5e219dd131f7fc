package dev.chorus.web;

import java.util.HashMap;
import java.util.Map;

/** {@link AuthProfile} with {@code chorus.public-url} on https: people reach Chorus through a TLS proxy. */
public class PublicUrlProfile extends AuthProfile {

    static final String PUBLIC_URL = "https://chorus.example";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("chorus.public-url", PUBLIC_URL);
        return overrides;
    }
}
