import { recogniserTable } from './table';

recogniserTable(
  'disk recognisers',
  [
    {
      line: "OSError: [Errno 28] No space left on device: '/var/lib/app/cache/item.bin'",
      rule: 'disk/enospc',
      subkind: 'no-space',
      details: { code: 'ENOSPC', codeKind: 'errno', path: '/var/lib/app/cache/item.bin' },
    },
    {
      line: 'ERROR:  could not extend file "base/16384/2619": No space left on device',
      rule: 'disk/enospc',
      subkind: 'no-space',
      details: { code: 'ENOSPC' },
    },
    {
      line: 'write /var/lib/docker/overlay2/abc/diff/tmp: no space left on device',
      rule: 'disk/enospc',
      subkind: 'no-space',
      details: { path: '/var/lib/docker/overlay2/abc/diff/tmp' },
    },
    {
      line: "cp: error writing '/srv/backup/db.dump': No space left on device",
      rule: 'disk/enospc',
      subkind: 'no-space',
      details: { path: '/srv/backup/db.dump' },
    },
    { line: 'sqlite3.OperationalError: database or disk is full', rule: 'disk/enospc', subkind: 'no-space' },
    {
      line: "Error: ENOSPC: no space left on device, write '/tmp/upload-123'",
      rule: 'disk/enospc',
      subkind: 'no-space',
      details: { path: '/tmp/upload-123' },
    },
    {
      line: 'rsync: write failed on "/home/alice/data.tar": Disk quota exceeded (122)',
      rule: 'disk/edquot',
      subkind: 'quota',
      details: { code: 'EDQUOT', path: '/home/alice/data.tar' },
    },
    {
      line: 'EXT4-fs (sda1): Remounting filesystem read-only',
      rule: 'disk/remount-ro',
      subkind: 'read-only',
      details: { target: 'sda1', code: 'EROFS' },
    },
    {
      line: "touch: cannot touch '/mnt/data/x': Read-only file system",
      rule: 'disk/erofs',
      subkind: 'read-only',
      details: { path: '/mnt/data/x' },
    },
    {
      line: 'blk_update_request: I/O error, dev sdb, sector 123456 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0',
      rule: 'disk/kernel-io-error',
      subkind: 'io-error',
      details: { target: 'sdb' },
    },
    {
      line: 'Buffer I/O error on dev sdb1, logical block 0, async page read',
      rule: 'disk/kernel-io-error',
      subkind: 'io-error',
      details: { target: 'sdb1' },
    },
    {
      line: 'critical medium error, dev nvme0n1, sector 8192 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2',
      rule: 'disk/kernel-io-error',
      subkind: 'io-error',
      details: { target: 'nvme0n1' },
    },
    {
      line: 'EXT4-fs error (device sda1): ext4_lookup:1855: inode #2: comm ls: deleted inode referenced: 1234',
      rule: 'disk/fs-error',
      subkind: 'filesystem-error',
      details: { target: 'sda1' },
    },
    {
      line: 'XFS (dm-0): Metadata corruption detected at xfs_da3_node_read_verify+0x10a/0x120 [xfs], xfs_da3_node block 0x2020',
      rule: 'disk/fs-error',
      subkind: 'filesystem-error',
      details: { target: 'dm-0' },
    },
    {
      line: 'tar: ./data/file: Cannot open: Input/output error',
      rule: 'disk/eio',
      subkind: 'io-error',
      details: { code: 'EIO' },
    },
  ],
  [
    { line: 'Space left on device /dev/sda1: 42%' },
    { line: 'quota check passed for user alice' },
    { line: 'Remounting filesystem read-write' },
    { line: 'mounted filesystem with ordered data mode. Opts: (null)' },
    { line: 'I/O scheduler mq-deadline registered', notRule: 'disk/kernel-io-error' },
  ],
);
