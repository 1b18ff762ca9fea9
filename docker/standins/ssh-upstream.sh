#!/bin/sh
# The SSH git upstream stand-in: OpenSSH with key authentication only, the host key the caller
# generated (so the caller can pin it), and one bare repository per name given.
#
# Mounts:  /standin/ssh_host_ed25519_key  the host key (private; the caller pins its public half)
#          /standin/authorized_keys       the client keys allowed to log in as user git
# Usage:   ssh-upstream.sh REPO...        creates /srv/git/REPO.git for each, then runs sshd
# Clone URL: ssh://git@<container>/srv/git/REPO.git
set -eu
install -m 600 /standin/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key
install -d -o git -g git -m 700 /home/git/.ssh
install -o git -g git -m 600 /standin/authorized_keys /home/git/.ssh/authorized_keys
for repo in "$@"; do
  su -s /bin/sh git -c "git init -q --bare -b main /srv/git/$repo.git"
done
exec /usr/sbin/sshd -D -e \
  -o HostKey=/etc/ssh/ssh_host_ed25519_key \
  -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o PermitRootLogin=no \
  -o PubkeyAuthentication=yes -o AllowUsers=git -o UsePAM=no
