package dev.waitdaemon.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.waitdaemon.runtime.HostSettings;
import dev.waitdaemon.runtime.InheritedSettings;

class CliSettingFlagsTest {

    /** The records of an action with the engine's own modes. */
    private static final HostSettings PRIVATE = new HostSettings(false, null, null, null, null, null, null, null, null,
        null, null);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everySettingOfTheTableBecomesItsFlag() throws Exception {
        InheritedSettings inherited = InheritedSettings.of(json.readTree("""
            {"Hostname": "provisioner", "Domainname": "lab.test", "User": "0:0", "WorkingDir": "/tmp",
             "StopSignal": "SIGINT", "StopTimeout": 20, "OpenStdin": true}"""), json.readTree("""
            {"Ulimits": [{"Name": "RLIMIT_NOFILE", "Soft": 1234, "Hard": 2345}],
             "Sysctls": {"kernel.msgmax": "12345"}, "Tmpfs": {"/scratch": "size=1m", "/bare": ""},
             "ShmSize": 3145728, "ExtraHosts": ["provisioner.test:10.9.8.7"], "Dns": ["10.1.2.3"],
             "DnsSearch": ["lab.test"], "DnsOptions": ["ndots:3"], "GroupAdd": ["1234"], "Init": true,
             "CgroupnsMode": "private", "CgroupParent": "/actions", "ReadonlyRootfs": true,
             "DeviceCgroupRules": ["c 1:3 r"], "OomScoreAdj": 123, "OomKillDisable": true, "Memory": 268435456,
             "MemorySwap": -1, "MemoryReservation": 134217728, "MemorySwappiness": 10, "NanoCpus": 1500000000,
             "CpuShares": 512, "CpusetCpus": "0", "CpusetMems": "0",
             "BlkioWeight": 300, "BlkioDeviceReadBps": [{"Path": "/dev/sda", "Rate": 1048576}],
             "PidsLimit": 99, "LogConfig": {"Type": "json-file", "Config": {"max-size": "1m"}},
             "UsernsMode": "host", "Runtime": "runc"}"""));

        CliSettingFlags.Flags flags = CliSettingFlags.of(inherited, PRIVATE);

        assertThat(flags.args()).containsExactly("--hostname=provisioner", "--domainname=lab.test", "--user=0:0",
            "--workdir=/tmp", "--stop-signal=SIGINT", "--stop-timeout=20", "--interactive",
            "--ulimit=nofile=1234:2345", "--sysctl=kernel.msgmax=12345", "--tmpfs=/scratch:size=1m", "--tmpfs=/bare",
            "--shm-size=3145728", "--add-host=provisioner.test:10.9.8.7", "--dns=10.1.2.3", "--dns-search=lab.test",
            "--dns-option=ndots:3", "--group-add=1234", "--init", "--cgroupns=private", "--cgroup-parent=/actions",
            "--read-only", "--device-cgroup-rule=c 1:3 r", "--oom-score-adj=123", "--oom-kill-disable",
            "--memory=268435456", "--memory-swap=-1", "--memory-reservation=134217728", "--memory-swappiness=10",
            "--cpus=1.5", "--cpu-shares=512", "--cpuset-cpus=0",
            "--cpuset-mems=0", "--blkio-weight=300", "--device-read-bps=/dev/sda:1048576", "--pids-limit=99",
            "--log-driver=json-file", "--log-opt=max-size=1m", "--userns=host", "--runtime=runc");
        assertThat(flags.uncarried()).isEmpty();
    }

    @Test
    void podmansReportOfCpusIsGivenBackAsCpusAlone() throws Exception {
        InheritedSettings cpus = InheritedSettings.of(null,
            json.readTree("{\"NanoCpus\": 1500000000, \"CpuPeriod\": 100000, \"CpuQuota\": 150000}"));
        InheritedSettings quota = InheritedSettings.of(null, json.readTree("{\"CpuPeriod\": 100000, \"CpuQuota\": 50000}"));

        assertThat(CliSettingFlags.of(cpus, PRIVATE).args()).as("podman refuses --cpus with --cpu-period")
            .containsExactly("--cpus=1.5");
        assertThat(CliSettingFlags.of(quota, PRIVATE).args()).containsExactly("--cpu-period=100000", "--cpu-quota=50000");
    }

    @Test
    void noShmSizeWhereTheIpcNamespaceIsNotTheContainersOwn() throws Exception {
        InheritedSettings inherited = InheritedSettings.of(null, json.readTree("{\"ShmSize\": 65536000}"));
        HostSettings hostIpc = new HostSettings(true, "host", null, "host", null, null, null, null, null, null, null);

        assertThat(CliSettingFlags.of(inherited, hostIpc).args()).as("podman refuses a size for the host's /dev/shm").isEmpty();
        assertThat(CliSettingFlags.of(inherited, PRIVATE).args()).containsExactly("--shm-size=65536000");
    }

    @Test
    void aSettingNoFlagCanCarryIsNamedNeverDropped() throws Exception {
        InheritedSettings inherited = InheritedSettings.of(
            json.readTree("{\"Healthcheck\": {\"Test\": [\"CMD\", \"curl\", \"-u\", \"admin:hc-s3cret\", \"http://127.0.0.1/\"]}}"),
            json.readTree("{\"DeviceRequests\": [{\"Driver\": \"nvidia\", \"Count\": -1}], \"FutureSetting\": 0}"));

        // By name alone: the warning goes to the log, which HookOS forwards to Smee, and a value can be a secret.
        assertThat(CliSettingFlags.of(inherited, PRIVATE).uncarried()).as("a zero says nothing, so nothing is lost")
            .containsExactly("DeviceRequests", "Healthcheck");
    }

    @Test
    void theEnginesDefaultsTheRecordsAndTheEnginesOwnFactsGiveNoFlag() throws Exception {
        InheritedSettings inherited = InheritedSettings.of(json.readTree("""
            {"AttachStdout": true, "AttachStderr": true, "Env": ["A=1"], "Cmd": ["reboot"], "Image": "x",
             "Volumes": {"/data": {}}, "WorkingDir": "", "User": "", "CreateCommand": ["podman", "run"],
             "Annotations": {"io.container.manager": "libpod"}}"""), json.readTree("""
            {"Privileged": true, "PidMode": "host", "Binds": ["/dev:/dev"], "Memory": 0, "Dns": [], "Init": false,
             "MaskedPaths": ["/proc/kcore"], "ConsoleSize": [0, 0], "Runtime": "oci", "PidsLimit": 0,
             "MemorySwappiness": null}"""));

        CliSettingFlags.Flags flags = CliSettingFlags.of(inherited, PRIVATE);

        assertThat(flags.args()).isEmpty();
        assertThat(flags.uncarried()).isEmpty();
    }

    @Test
    void podmansLogSizeOfNoLimitGivesNoOption() throws Exception {
        for (String none : new String[] { "0B", "-1B" }) {
            InheritedSettings inherited = InheritedSettings.of(null, json.readTree(
                "{\"LogConfig\": {\"Type\": \"k8s-file\", \"Config\": null, \"Path\": \"/ctr.log\", \"Tag\": \"\", \"Size\": \"" + none + "\"}}"));

            assertThat(CliSettingFlags.of(inherited, PRIVATE).args()).as(none).containsExactly("--log-driver=k8s-file");
        }
        InheritedSettings limited = InheritedSettings.of(null, json.readTree(
            "{\"LogConfig\": {\"Type\": \"k8s-file\", \"Size\": \"1MB\", \"Tag\": \"action\"}}"));
        assertThat(CliSettingFlags.of(limited, PRIVATE).args())
            .containsExactly("--log-driver=k8s-file", "--log-opt=max-size=1MB", "--log-opt=tag=action");
    }

    @Test
    void aValueThatLooksLikeAnOptionStaysTheFlagsValue() throws Exception {
        InheritedSettings inherited = InheritedSettings.of(json.readTree("{\"WorkingDir\": \"--privileged\"}"), null);

        assertThat(CliSettingFlags.of(inherited, PRIVATE).args()).containsExactly("--workdir=--privileged");
    }
}
