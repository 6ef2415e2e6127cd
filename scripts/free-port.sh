# Sourced by the scripts that start local servers.
# free_port WANT prints WANT when 127.0.0.1:WANT is free, else any free port.
free_port() {
  python3 - "$1" <<'PY'
import socket, sys
want = int(sys.argv[1])
for port in (want, 0):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        print(s.getsockname()[1]); break
    except OSError:
        continue
    finally:
        s.close()
PY
}
