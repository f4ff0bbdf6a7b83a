# Sourced by demo.sh and test.sh: make (once) and use the project's virtual environment.
#
# Debian 12's own python3 refuses `pip install` outside a virtual environment (PEP 668,
# "externally-managed-environment"), so everything goes into one: .venv/ in the repository, or
# $CHUANNAN_VENV.  `python3 -m venv` needs Debian's python3-venv, installed here when missing
# (root or sudo); the rest needs no root.
VENV="${CHUANNAN_VENV:-$PWD/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "python3 has no venv module: installing Debian's python3-venv ($SUDO apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends python3-venv
  fi
  rm -rf "$VENV"  # a half-made one from an earlier failure
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
export VENV PATH="$VENV/bin:$PATH"
