# Run by /bin/sh as the node: leaves in DATA_DIR what an ordinary user can delete only after
# restoring its own permissions, and links from inside a 0000 directory to OUTSIDE_DIR (a 0550
# directory holding a 0444 file, which must survive as it is). Then it becomes the test node.
# Usage: leave-read-only-tree.sh DATA_DIR OUTSIDE_DIR JAVA ARGS...
set -eu
data=$1
outside=$2
shift 2

mkdir -p "$outside"
echo precious > "$outside/precious.txt"
chmod 0444 "$outside/precious.txt"
chmod 0550 "$outside"

# a 0555 directory with files, and a 0555 directory inside it with a file
mkdir -p "$data/read-only/inner"
echo a > "$data/read-only/a.txt"
echo b > "$data/read-only/inner/b.txt"
# a 0000 directory with files and a subdirectory, and links to the outside directory and file
mkdir -p "$data/no-access/sub"
echo c > "$data/no-access/c.txt"
echo d > "$data/no-access/sub/d.txt"
ln -s "$outside" "$data/no-access/link-to-outside"
ln -s "$outside/precious.txt" "$data/no-access/link-to-precious"
# nested combinations: a 0000 directory inside a 0555 one, a 0555 directory inside a 0000 one
mkdir -p "$data/read-only/no-access-inside" "$data/no-access/read-only-inside"
echo e > "$data/read-only/no-access-inside/e.txt"
echo f > "$data/no-access/read-only-inside/f.txt"

chmod 0000 "$data/read-only/no-access-inside"
chmod 0555 "$data/read-only/inner" "$data/read-only" "$data/no-access/read-only-inside"
chmod 0000 "$data/no-access/sub" "$data/no-access"

exec "$@"
