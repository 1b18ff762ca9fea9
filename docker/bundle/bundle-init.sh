#!/bin/sh
# Runs bundle-init with the bundle's JVM settings: the class-data archive recorded at image build,
# the serial collector and a bounded heap, sized for one bottle's traffic. Both the container's
# entry point and `docker exec <bundle> bundle-init receive-secrets` go through this script.
# Two malloc arenas instead of one per busy thread, and freed malloc memory handed back to the OS
# every second, keep the resident size down (measured on egress-proxy, egress-proxy/README.md).
export MALLOC_ARENA_MAX=2
exec java -XX:SharedArchiveFile=/opt/claude-bottle/bundle.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms16m -Xmx256m -XX:ReservedCodeCacheSize=48m \
  -XX:TrimNativeHeapInterval=1000 \
  -jar /opt/claude-bottle/bundle-init.jar "$@"
