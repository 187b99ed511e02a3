#!/usr/bin/env bash
# (From the team's notes on this machine kind, kept here so the household's end-to-end test and CI use it.)
# Two headless Syncthing instances (A, B) on 127.0.0.1 sharing one folder, for end-to-end tests.
# Checked with Debian 12's syncthing 1.19.2 (apt-get install -y syncthing). Needs: syncthing, curl.
# No discovery, relays, NAT, usage/crash reporting or upgrades; sync protocol on tcp://127.0.0.1 only.
#
#   syncthing-pair.sh             start, print ST_* lines, stop both on Ctrl-C/SIGTERM (trap)
#   syncthing-pair.sh selftest    start, carry files A->B, B->A, a delete, then stop
#   syncthing-pair.sh start       start detached, print ST_* lines (also in $ST_ROOT/env), exit 0
#   syncthing-pair.sh stop ROOT   stop a pair started with `start` and remove ROOT
#   source syncthing-pair.sh      only defines st_pair_start, st_pair_stop, st_scan, st_wait_same
# Env: ST_FOLDER_ID (default e2e), ST_KEEP=1 keeps the temp dir after stop.

st_now() { echo $(( $(date +%s%N) / 1000000 )); }
st_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
st_api() { # st_api A|B METHOD PATH [JSON]
  local gui key; if [ "$1" = A ]; then gui=$ST_A_GUI key=$ST_A_APIKEY; else gui=$ST_B_GUI key=$ST_B_APIKEY; fi
  curl -sf -X "$2" -H "X-API-Key: $key" "$gui$3" ${4:+-d "$4"}
}
st_scan() { st_api "$1" POST "/rest/db/scan?folder=$ST_FOLDER_ID${2:+&sub=$2}"; } # blocks until scanned
st_wait_same() { # st_wait_same SRC DST [TIMEOUT_MS]: wait until DST has SRC's content, print ms
  local t0; t0=$(st_now)
  until [ -f "$2" ] && cmp -s "$1" "$2"; do
    (( $(st_now) - t0 > ${3:-30000} )) && { echo "timeout: $2" >&2; return 1; }; sleep 0.05; done
  echo "$(( $(st_now) - t0 ))ms"
}

st_init_home() { # HOME GUIPORT SYNCPORT APIKEY NAME
  syncthing generate --home "$1" --no-default-folder >"$1.generate.log" 2>&1 || { cat "$1.generate.log" >&2; return 1; }
  sed -i -e "0,/name=\"[^\"]*\"/s//name=\"$5\"/" \
    -e "s#<address>127.0.0.1:8384</address>#<address>127.0.0.1:$2</address>#" \
    -e "s#<apikey>[^<]*</apikey>#<apikey>$4</apikey>#" \
    -e "s#<listenAddress>default</listenAddress>#<listenAddress>tcp://127.0.0.1:$3</listenAddress>#" \
    -e "s#<globalAnnounceEnabled>true#<globalAnnounceEnabled>false#" \
    -e "s#<localAnnounceEnabled>true#<localAnnounceEnabled>false#" \
    -e "s#<relaysEnabled>true#<relaysEnabled>false#" \
    -e "s#<natEnabled>true#<natEnabled>false#" \
    -e "s#<startBrowser>true#<startBrowser>false#" \
    -e "s#<urAccepted>0#<urAccepted>-1#" \
    -e "s#<autoUpgradeIntervalH>12#<autoUpgradeIntervalH>0#" \
    -e "s#<crashReportingEnabled>true#<crashReportingEnabled>false#" "$1/config.xml"
  grep -q "tcp://127.0.0.1:$3" "$1/config.xml" && grep -q "<apikey>$4<" "$1/config.xml"
}

st_pair_start() {
  command -v syncthing >/dev/null && command -v curl >/dev/null || { echo "need syncthing and curl" >&2; return 1; }
  ST_FOLDER_ID=${ST_FOLDER_ID:-e2e}
  ST_ROOT=$(mktemp -d /tmp/st-pair.XXXXXX) || return 1
  # Ports below the ephemeral range (32768+), or a port may be taken by an outgoing connection.
  local lo; read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
  local ports=() p=$(( 20000 + RANDOM % (lo - 20100) )) x
  while (( ${#ports[@]} < 4 )); do st_port_free $p && ports+=("$p"); p=$((p + 1)); done
  ST_A_GUI=http://127.0.0.1:${ports[0]} ST_B_GUI=http://127.0.0.1:${ports[1]}
  ST_A_APIKEY=key-a-$RANDOM$RANDOM ST_B_APIKEY=key-b-$RANDOM$RANDOM
  ST_A_FOLDER=$ST_ROOT/a-folder ST_B_FOLDER=$ST_ROOT/b-folder
  st_init_home "$ST_ROOT/a" "${ports[0]}" "${ports[2]}" "$ST_A_APIKEY" A &&
  st_init_home "$ST_ROOT/b" "${ports[1]}" "${ports[3]}" "$ST_B_APIKEY" B || { st_fail "generate/config.xml edit failed"; return 1; }
  ST_A_ID=$(syncthing serve --home "$ST_ROOT/a" --device-id) ST_B_ID=$(syncthing serve --home "$ST_ROOT/b" --device-id)
  # `serve` always forks a monitor process (even with --no-restart); ST_*_PID is the monitor.
  # SIGTERM to it (or POST /rest/system/shutdown) stops both; SIGKILL to it would orphan the child.
  setsid syncthing serve --home "$ST_ROOT/a" --no-browser --no-restart --no-upgrade >"$ST_ROOT/a.log" 2>&1 &
  ST_A_PID=$!
  setsid syncthing serve --home "$ST_ROOT/b" --no-browser --no-restart --no-upgrade >"$ST_ROOT/b.log" 2>&1 &
  ST_B_PID=$!
  local t0; t0=$(st_now)
  until st_api A GET /rest/system/ping >/dev/null && st_api B GET /rest/system/ping >/dev/null; do
    kill -0 $ST_A_PID 2>/dev/null && kill -0 $ST_B_PID 2>/dev/null || { st_fail "syncthing exited"; return 1; }
    (( $(st_now) - t0 > 30000 )) && { st_fail "API not up after 30 s"; return 1; }; sleep 0.1; done
  ST_A_CHILD=$(cat /proc/"$ST_A_PID"/task/*/children 2>/dev/null | tr -d ' ') # any thread may be the parent
  ST_B_CHILD=$(cat /proc/"$ST_B_PID"/task/*/children 2>/dev/null | tr -d ' ')
  # Only A dials (B knows A as "dynamic", which resolves to nothing with discovery off), and B learns
  # A first, so A's first dial is accepted. When both dial at once, 1.19 (outgoing TCP bound to the
  # listen port) could hang 20 s in "Failed to exchange Hello messages ... i/o timeout" (3 of 60 runs).
  st_api B POST /rest/config/devices "{\"deviceID\":\"$ST_A_ID\",\"name\":\"A\",\"addresses\":[\"dynamic\"]}" &&
  st_api A POST /rest/config/devices "{\"deviceID\":\"$ST_B_ID\",\"name\":\"B\",\"addresses\":[\"tcp://127.0.0.1:${ports[3]}\"]}" || { st_fail "POST /rest/config/devices failed"; return 1; }
  for x in A B; do
    local path=$ST_A_FOLDER; [ $x = B ] && path=$ST_B_FOLDER
    st_api $x POST /rest/config/folders "{\"id\":\"$ST_FOLDER_ID\",\"label\":\"$ST_FOLDER_ID\",\"path\":\"$path\",\"type\":\"sendreceive\",\"rescanIntervalS\":10,\"fsWatcherEnabled\":true,\"fsWatcherDelayS\":1,\"devices\":[{\"deviceID\":\"$ST_A_ID\"},{\"deviceID\":\"$ST_B_ID\"}]}" || { st_fail "POST /rest/config/folders failed"; return 1; }
  done
  until st_api A GET /rest/system/connections | grep -q '"connected": true' &&
        [ -d "$ST_A_FOLDER/.stfolder" ] && [ -d "$ST_B_FOLDER/.stfolder" ] &&
        st_api A GET "/rest/db/status?folder=$ST_FOLDER_ID" | grep -q '"state": "idle"' &&
        st_api B GET "/rest/db/status?folder=$ST_FOLDER_ID" | grep -q '"state": "idle"'; do
    (( $(st_now) - t0 > 60000 )) && { st_fail "pair not connected and idle after 60 s"; return 1; }; sleep 0.1; done
  ST_READY_MS=$(( $(st_now) - t0 ))
  local v; for v in ST_ROOT ST_FOLDER_ID ST_A_FOLDER ST_B_FOLDER ST_A_PID ST_B_PID ST_A_CHILD ST_B_CHILD \
    ST_A_GUI ST_B_GUI ST_A_APIKEY ST_B_APIKEY ST_A_ID ST_B_ID ST_READY_MS; do echo "$v=${!v}"; done | tee "$ST_ROOT/env"
}

st_fail() { echo "syncthing-pair: $1; last log lines:" >&2; tail -n 8 "$ST_ROOT"/*.log >&2; st_pair_stop; }

st_pair_stop() { # uses ST_* from st_pair_start, or from $1/env
  [ -n "${1:-}" ] && { [ -f "$1/env" ] || { echo "no $1/env" >&2; return 1; }; . "$1/env"; }
  [ -n "${ST_ROOT:-}" ] || return 0
  st_api A POST /rest/system/shutdown >/dev/null 2>&1; st_api B POST /rest/system/shutdown >/dev/null 2>&1
  local p pids="${ST_A_PID:-} ${ST_B_PID:-} ${ST_A_CHILD:-} ${ST_B_CHILD:-}" t0; t0=$(st_now)
  for p in $pids; do
    while kill -0 "$p" 2>/dev/null; do
      (( $(st_now) - t0 > 10000 )) && { kill -TERM "$p" 2>/dev/null; sleep 2; kill -KILL "$p" 2>/dev/null; break; }
      sleep 0.1; done
  done
  [ "${ST_KEEP:-0}" = 1 ] && echo "kept $ST_ROOT" >&2 || rm -rf "$ST_ROOT"
  ST_ROOT=
}

st_selftest() {
  local r f rc=0
  echo "hello from A $RANDOM" >"$ST_A_FOLDER/a.txt"
  r=$(st_wait_same "$ST_A_FOLDER/a.txt" "$ST_B_FOLDER/a.txt") || rc=1; echo "A->B (watcher): $r"
  echo "hello from B $RANDOM" >"$ST_B_FOLDER/b.txt"
  r=$(st_wait_same "$ST_B_FOLDER/b.txt" "$ST_A_FOLDER/b.txt") || rc=1; echo "B->A (watcher): $r"
  echo "scanned $RANDOM" >"$ST_A_FOLDER/c.txt"; st_scan A c.txt >/dev/null
  r=$(st_wait_same "$ST_A_FOLDER/c.txt" "$ST_B_FOLDER/c.txt") || rc=1; echo "A->B (after POST /rest/db/scan): $r"
  echo "only on A $RANDOM" >"$ST_A_FOLDER/ca.txt" & f=$!   # not a bare `wait`: syncthing is a job too
  echo "only on B $RANDOM" >"$ST_B_FOLDER/cb.txt" & wait $f $!
  r=$(st_wait_same "$ST_A_FOLDER/ca.txt" "$ST_B_FOLDER/ca.txt") || rc=1
  r="$r, $(st_wait_same "$ST_B_FOLDER/cb.txt" "$ST_A_FOLDER/cb.txt")" || rc=1; echo "concurrent A->B, B->A: $r"
  rm "$ST_A_FOLDER/a.txt"; f=$(st_now)
  while [ -e "$ST_B_FOLDER/a.txt" ]; do (( $(st_now) - f > 30000 )) && { echo "delete timeout"; rc=1; break; }; sleep 0.05; done
  echo "delete A->B: $(( $(st_now) - f ))ms"
  [ $rc = 0 ] && echo "SELFTEST OK" || echo "SELFTEST FAILED"; return $rc
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-run}" in
    run) trap 'st_pair_stop; exit 0' INT TERM; trap st_pair_stop EXIT
         st_pair_start || exit 1; echo "running; Ctrl-C or kill $$ to stop both" >&2
         while :; do sleep 1; done ;;
    selftest) trap st_pair_stop EXIT; st_pair_start || exit 1; st_selftest ;;
    start) st_pair_start ;;
    stop) st_pair_stop "${2:?usage: $0 stop ST_ROOT}" ;;
    *) echo "usage: $0 [run|selftest|start|stop ROOT]" >&2; exit 2 ;;
  esac
fi
