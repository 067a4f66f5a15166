# Sourced by build-image.sh and publish.sh: the steps that turn base-image.sh's root file systems into
# images, build the application onto them with Jib, and add the JDK's AOT cache. Needs engine.sh.

WAITDAEMON_BUILD=target/image-build
# The base's environment: the runtime on PATH, and UTF-8 for the JVM's stdout and stderr.
BASE_ENV=('ENV PATH=/opt/java/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8')

ensure_build_tools() {
  if ! command -v javac >/dev/null || ! command -v curl >/dev/null || ! command -v unzip >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 \
      openjdk-17-jdk-headless unzip curl >/dev/null
  fi
}

# The entrypoint of an image that carries the AOT cache (amd64): java with Quarkus's own flags
# (quarkus.jib.jvm-arguments, application.properties' quarkus.jib.jvm-additional-arguments) and the
# cache, behind busybox's env clearing JAVA_TOOL_OPTIONS. Quarkus's AOT image step (add_aot_cache) sets
# that variable to the same flag, and the JVM then prints "Picked up JAVA_TOOL_OPTIONS: ..." on stderr in
# every run: the one line of an action's log that would not be JSON.
# The paths are absolute: an action created with its own working directory (--workdir) must start too.
AOT_CACHE_FLAG=-XX:AOTCache=/home/jboss/app.aot
AOT_ENTRYPOINT="/bin/busybox,env,-u,JAVA_TOOL_OPTIONS,java,\${quarkus.jib.jvm-arguments},\${quarkus.jib.jvm-additional-arguments},$AOT_CACHE_FLAG,-jar,/home/jboss/quarkus-run.jar"

# base_tar ARCH VARIANT: prints the path of the root file system's tar, made if out of date.
base_tar() {
  local tar=$WAITDAEMON_BUILD/$1-$2.tar
  src/scripts/base-image.sh "$1" "$tar" "$2" >&2
  echo "$tar"
}

# import_base docker|podman TAR ARCH REF: the tar as a one-layer image of that architecture.
import_base() {
  local engine=$1 tar=$2 arch=$3 ref=$4 changes=()
  for change in "${BASE_ENV[@]}"; do changes+=(--change "$change"); done
  if [ "$engine" = podman ]; then
    podman import -q --os linux --arch "$arch" "${changes[@]}" "$tar" "$ref" >/dev/null
  else
    # dockerd (without experimental features) imports for its own architecture only.
    docker import "${changes[@]}" "$tar" "$ref" >/dev/null
  fi
  echo "base image $ref ($arch) in $engine" >&2
}

# jib_build NAME BASE [MAVEN ARGS...]: the application onto BASE with Jib.
jib_build() {
  local name=$1 base=$2
  shift 2
  ./mvnw -B -q -ntp package -DskipTests -Dquarkus.container-image.build=true \
    -Dquarkus.container-image.image="$name" -Dquarkus.jib.base-jvm-image="$base" "$@"
}

# train_aot_cache IMAGE TARGET_IMAGE: runs IMAGE (built with AOT_ENTRYPOINT) as an action doing a real
# first fork against this engine (the clone and target it starts are removed), and prints the path of
# the cache it left. The entrypoint's cache flag becomes the flag that writes one: the JVM takes only one.
train_aot_cache() {
  local image=$1 target=$2 cache=$WAITDAEMON_BUILD/app.aot written=/tmp/app.aot id code entrypoint=() arg swapped=false
  while IFS= read -r arg; do
    [ -n "$arg" ] || continue
    if [ "$arg" = "$AOT_CACHE_FLAG" ]; then arg=-XX:AOTCacheOutput=$written swapped=true; fi
    entrypoint+=("$arg")
  done < <(docker image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$image")
  if [ "$swapped" != true ]; then
    echo "$image's entrypoint has no $AOT_CACHE_FLAG to train for: ${entrypoint[*]}" >&2
    return 1
  fi
  id=$(docker create -v /var/run/docker.sock:/var/run/docker.sock -e IMAGE="$target" -e WAIT_SECONDS=0 \
    --entrypoint "${entrypoint[0]}" "$image" "${entrypoint[@]:1}" true)
  docker start --attach "$id" >"$WAITDAEMON_BUILD/training.log" 2>&1 || true
  code=$(docker inspect --format '{{.State.ExitCode}}' "$id")
  [ "$code" != 0 ] || docker cp "$id:$written" "$cache"
  # The clone inherits the training entrypoint; neither it nor its target is wanted.
  docker rm -f $(docker ps -aq --filter "label=waitdaemon.action=$id") "$id" >/dev/null
  if [ "$code" != 0 ]; then
    echo "the AOT training run exited with $code; its output:" >&2
    cat "$WAITDAEMON_BUILD/training.log" >&2
    return 1
  fi
  echo "$cache"
}

# add_aot_cache IMAGE CACHE: Quarkus's own step (Jib) lays the cache over IMAGE without rebuilding the
# application, whose jars the cache was trained on byte for byte; the result replaces IMAGE.
add_aot_cache() {
  local image=$1 cache=$2
  printf 'aot-file=%s\noriginal-container-image=%s\ncontainer-working-directory=/home/jboss\n' \
    "$PWD/$cache" "$image" > target/quarkus-container-it.properties
  ./mvnw -B -q -ntp quarkus:build-aot-enhanced-container-image -Dquarkus.container-image.build=true \
    -Dquarkus.container-image.image="$image" -Dquarkus.container-image.aot-image-suffix=-aot
  docker tag "$image-aot" "$image"
  docker rmi "$image-aot" >/dev/null
}

# check_aot_cache docker|podman IMAGE: the JVM refuses to start unless the cache in IMAGE is used.
check_aot_cache() {
  if ! "$1" run --rm -e JDK_JAVA_OPTIONS=-XX:AOTMode=on "$2" --version >/dev/null 2>"$WAITDAEMON_BUILD/aot-check.log"; then
    echo "the AOT cache in $2 is not usable:" >&2
    cat "$WAITDAEMON_BUILD/aot-check.log" >&2
    return 1
  fi
}

# push_image_list LIST INSECURE SOURCE...: one manifest list under LIST naming each SOURCE image (each
# already pushed, each of one platform); prints its digest.
push_image_list() {
  local list=$1 insecure=$2 flags=()
  shift 2
  [ "$insecure" = true ] && flags=(--insecure)
  docker manifest rm "$list" >/dev/null 2>&1 || true
  docker manifest create "${flags[@]}" "$list" "$@" >/dev/null
  docker manifest push "${flags[@]}" --purge "$list"
}

# registry_is_loopback REGISTRY: plain HTTP is spoken only to a registry on this machine, as Docker does.
registry_is_loopback() {
  case "$1" in
    127.*|localhost|localhost:*|'[::1]'|'[::1]:'*) return 0 ;;
    *) return 1 ;;
  esac
}

# split_reference REF: sets ref_registry, ref_repository (registry included), ref_tag and ref_insecure (true
# for a registry on loopback, spoken to over plain HTTP), or explains.
split_reference() {
  local ref=$1 path
  ref_registry=${ref%%/*}
  path=${ref#*/}
  if [ "$ref_registry" = "$ref" ] || ! [[ "$ref_registry" == *.* || "$ref_registry" == *:* || "$ref_registry" == localhost ]]; then
    echo "'$ref' names no registry: give registry/repository:tag, e.g. 127.0.0.1:5000/waitdaemon:dev" >&2
    return 2
  fi
  if [[ "$path" != *:* ]] || [[ "$path" == *@* ]]; then
    echo "'$ref' has no tag: give registry/repository:tag" >&2
    return 2
  fi
  ref_repository=$ref_registry/${path%:*}
  ref_tag=${path##*:}
  ref_insecure=false
  registry_is_loopback "$ref_registry" && ref_insecure=true
  return 0
}
