# Sourced by ./mvnw, ./shendu and .ci/run: points JAVA_HOME at a JDK >= 25.
# Looks at $JAVA_HOME, then `java` on PATH, then the usual JVM folders; stops with a clear message if none fits.

shendu_java_major() {
  # Prints the feature version of the java binary $1 (e.g. 25), or nothing if it cannot be run.
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

shendu_find_jdk() {
  shendu_min=25
  shendu_seen=""
  shendu_candidates=""
  [ -n "${JAVA_HOME-}" ] && shendu_candidates="$JAVA_HOME"
  if command -v java >/dev/null 2>&1; then
    shendu_java_on_path=$(readlink -f "$(command -v java)")
    shendu_candidates="$shendu_candidates ${shendu_java_on_path%/bin/java}"
  fi
  case $- in *f*) shendu_noglob=1; set +f ;; *) shendu_noglob= ;; esac # mvnw runs with globbing off
  for shendu_dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$shendu_dir" ] && shendu_candidates="$shendu_candidates $shendu_dir"
  done
  [ -z "$shendu_noglob" ] || set -f
  for shendu_home in $shendu_candidates; do
    [ -x "$shendu_home/bin/java" ] && [ -x "$shendu_home/bin/javac" ] || continue
    shendu_major=$(shendu_java_major "$shendu_home/bin/java")
    shendu_seen="$shendu_seen
  $shendu_home (Java ${shendu_major:-unknown})"
    if [ -n "$shendu_major" ] && [ "$shendu_major" -ge "$shendu_min" ]; then
      JAVA_HOME="$shendu_home"
      export JAVA_HOME
      return 0
    fi
  done
  {
    echo "shendu: no JDK $shendu_min or newer found."
    echo "Looked at JAVA_HOME, 'java' on PATH and the usual JVM folders (/usr/lib/jvm/*, ...)."
    if [ -n "$shendu_seen" ]; then echo "Found only:$shendu_seen"; else echo "Found no JDK at all."; fi
    echo "Install a JDK $shendu_min (for example Temurin 25) and set JAVA_HOME to it."
  } >&2
  return 1
}

shendu_find_jdk
