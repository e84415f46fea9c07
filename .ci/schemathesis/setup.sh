# Sourced by .ci/schemathesis*.sh from the repository root: the pinned schemathesis, the
# mock binary ($bin) and a free loopback port (free_port).
version=4.32.5
if ! st --version 2>/dev/null | grep -q "$version"; then
  python3 -m pip install -q --disable-pip-version-check "schemathesis==$version"
fi
bin=target/debug/kontrat
[ -x "$bin" ] || cargo build -q --bin kontrat
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
