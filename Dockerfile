# syntax=docker/dockerfile:1
# llmspell: build the jar with the Maven wrapper, run it on a JRE as a non-root user.
#   docker build -t llmspell .
#   docker run --rm -p 8080:8080 llmspell
# See docs/deployment.md.

ARG JAVA_VERSION=25

# ---- build -------------------------------------------------------------------------------------
FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
WORKDIR /build

# Dependencies first: this layer is rebuilt only when the pom or the wrapper changes.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN chmod +x mvnw && ./mvnw -B -q dependency:go-offline

COPY src/ src/
# Layers of the extracted jar (llmspell.jar + lib/, run with `java -jar`): the class archive below
# only covers classes loaded from the plain class path, not through Spring Boot's JarLauncher.
RUN ./mvnw -B package -DskipTests \
	&& java -Djarmode=tools -jar target/llmspell.jar extract --layers --destination /layers

# The HEALTHCHECK's probe: a class compiled here, so the runtime image needs neither curl nor a compiler.
COPY docker/HealthCheck.java docker/
RUN javac --release 17 -d /healthcheck docker/HealthCheck.java

# ---- run ---------------------------------------------------------------------------------------
# A JRE 21+ runs each spell on a virtual thread (25: no pinning on synchronized).
FROM eclipse-temurin:${JAVA_VERSION}-jre

RUN groupadd --system --gid 10001 llmspell \
	&& useradd --system --uid 10001 --gid llmspell --home-dir /app --no-create-home --shell /usr/sbin/nologin llmspell

WORKDIR /app
# Least-changing layers first, so a code change ships only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --from=build /healthcheck/ /opt/healthcheck/
# The example spells; mount your own folder over /app/spells (or point LLMSPELL_SPELLS_DIR elsewhere).
COPY spells/ /app/spells/

ENV LLMSPELL_SPELLS_DIR=/app/spells
# The storage module's file; mount a volume here to keep it across containers.
RUN mkdir -p /app/data && chown 10001:10001 /app/data
ENV LLMSPELL_STORAGE_DATA_DIR=/app/data

# Fast start: a training run starts the service, which serves a few requests to itself and exits; the JVM writes
# the classes it loaded and linked to an archive (Java 25: the JEP 483/514 AOT cache /app/app.aot;
# 17-24: AppCDS, /app/app.jsa) and the flag that uses it to /app/jvm.args. It runs here, on the
# runtime image's own JRE, because an archive is only valid for the JVM and the jars that made it;
# the flags must match the ENTRYPOINT's (the GC is pinned for that reason: with one CPU the JVM
# would otherwise pick the serial GC in one and G1 in the other). See docs/deployment.md.
COPY docker/jvm.options /app/jvm.options
COPY scripts/aot-cache.sh /opt/llmspell/aot-cache.sh
RUN bash /opt/llmspell/aot-cache.sh /app @/app/jvm.options --enable-native-access=ALL-UNNAMED \
	&& rm -rf /app/data/* /tmp/*
USER 10001:10001
EXPOSE 8080

HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
	CMD ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx16m", "-cp", "/opt/healthcheck", "HealthCheck", "/actuator/health/liveness"]

# The JVM flags are /app/jvm.options (docker/jvm.options: the heap follows the container's memory
# limit, G1 sized for runs waiting on LLMs); JAVA_OPTS, when set, replaces them (a GC of one's own:
# two GC flags would stop the JVM). Netty may load its native transport without a warning.
# Arguments are the application's:
# `docker run --rm llmspell run hello --param name=Ada` runs the command line instead of the server.
# @/app/jvm.args: the archive's flag, made above; an archive that does not match is ignored (with a warning).
ENTRYPOINT ["/bin/sh", "-c", "exec java ${JAVA_OPTS:-@/app/jvm.options} --enable-native-access=ALL-UNNAMED @/app/jvm.args -jar /app/llmspell.jar \"$@\"", "llmspell"]
