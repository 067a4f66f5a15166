package dev.waitdaemon.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which failed pulls are worth another try, from what dockerd, podman and the CLIs say. */
class PullFailureTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Get \"http://127.0.0.1:9/v2/\": dial tcp 127.0.0.1:9: connect: connection refused | TRANSIENT",
        "read tcp 10.0.0.2:51234->10.0.0.9:443: read: connection reset by peer | TRANSIENT",
        "Get \"https://r.example/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers) | TRANSIENT",
        "dial tcp: lookup r.example: i/o timeout | TRANSIENT",
        "received unexpected HTTP status: 503 Service Unavailable | TRANSIENT",
        "toomanyrequests: You have reached your pull rate limit | TRANSIENT",
        "dial tcp: lookup r.example on 10.0.0.1:53: no such host | TRANSIENT",
        "Head \"http://127.0.0.1:5056/v2/x/manifests/1\": no basic auth credentials | AUTHENTICATION",
        "unauthorized: authentication required | AUTHENTICATION",
        "Error response from daemon: Get \"http://127.0.0.1:5056/v2/\": unauthorized: incorrect username or password | AUTHENTICATION",
        "pull access denied for private/x, repository does not exist or may require 'docker login' | AUTHENTICATION",
        "reading manifest 1 in 127.0.0.1:5055/x: manifest unknown: manifest unknown | UNKNOWN_IMAGE",
        "manifest for 127.0.0.1:5055/x:nope not found: manifest unknown: manifest unknown | UNKNOWN_IMAGE",
        "invalid reference format | OTHER",
    })
    void readsTheEnginesMessage(String message, PullFailure expected) {
        assertThat(PullFailure.of(message)).isEqualTo(expected);
    }
}
