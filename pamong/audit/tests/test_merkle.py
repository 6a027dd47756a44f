"""RFC 6962 Merkle math: public test vectors, rejection of tampered proofs, and property tests.

Vector provenance (copied from /work/shared/testdata/rfc6962_vectors.json, embedded so the tests stand alone):
- google/certificate-transparency cpp/merkletree/merkle_test.cc: kInputs (the 8 leaves), kSHA256Roots,
  kSHA256Paths (1-based leaf numbers there, 0-based here), kSHA256Proofs.
- google/certificate-transparency python/ct/crypto/merkle_test.py: the same roots and consistency proofs,
  hasher KATs, and a real-log inclusion proof (leaf 848049 of 3630887).
- transparency-dev/merkle@417fb0c314750d94e53942e9f92e79b6d35915db rfc6962/rfc6962_test.go (hasher KATs),
  cmd/proofgen/main.go (adds consistency 6 -> 7), testdata/{inclusion,consistency}/**.json (negative probes).
Hashes are hex SHA-256; leaf indices 0-based; proofs ordered leaf-to-root.
"""

import hashlib
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pamong.audit.merkle import (
    EMPTY_ROOT,
    CompactRange,
    consistency_proof,
    consistency_proof_from_leaves,
    inclusion_proof,
    inclusion_proof_from_leaves,
    leaf_hash,
    node_hash,
    perfect_subtrees,
    right_edge,
    root_from_leaves,
    subtree_root,
    verify_consistency,
    verify_inclusion,
)

# --- Vectors -------------------------------------------------------------------------------------------

# Hasher known answers: CT python merkle_test.py, transparency-dev rfc6962_test.go.
LEAF_KATS = [
    (b"", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    (
        bytes.fromhex("101112131415161718191a1b1c1d1e1f"),
        "3bfb960453ebaebf33727da7a1f4db38acc051d381b6da20d6d4e88f0eabfd7a",
    ),
    (b"L123456", "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"),
]
NODE_KATS = [
    (b"N123", b"N456", "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"),
    (
        bytes(range(32)),
        bytes(range(32, 64)),
        "1a378704c17da31e2d05b6d121c2bb2c7d76f6ee6fa8f983e596c2d034963c57",
    ),
]

# The 8-leaf example tree (CT merkle_test.cc kInputs / kSHA256Roots; roots also in CT merkle_test.py).
LEAF_DATA = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# Inclusion paths: CT merkle_test.cc kSHA256Paths. (leaf_index, tree_size, leaf_hash, audit_path)
INCLUSION = [
    (
        0,
        1,
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        [],
    ),
    (
        0,
        8,
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        ],
    ),
    (
        1,
        5,
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
# Consistency proofs: CT merkle_test.cc kSHA256Proofs, plus 6 -> 7 from transparency-dev cmd/proofgen/main.go.
# (size1, size2, proof)
CONSISTENCY = [
    (
        1,
        1,
        [],
    ),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
# A real CT log's inclusion proof: CT python/ct/crypto/merkle_test.py MerkleVerifierTest.
LARGE_INDEX, LARGE_SIZE = 848049, 3630887
LARGE_LEAF = "7a395c866d5ecdb0cccb623e011dbc392cd348d1d1d72776174e127a24b09c78"
LARGE_ROOT = "78316a05c9bcf14a3a4548f5b854a9adfcd46a4c034401b3ce7eb7ac2f1d0ecb"
LARGE_PATH = [
    "1a208aeebcd1b39fe2de247ee8db9454e1e93a312d206b87f6ca9cc6ec6f1ddd",
    "0a1b78b383f580856f433c01a5741e160d451c185910027f6cc9f828687a40c4",
    "3d1745789bc63f2da15850de1c12a5bf46ed81e1cc90f086148b1662e79aab3d",
    "9095b61e14d8990acf390905621e62b1714fb8e399fbb71de5510e0aef45affe",
    "0a332b91b8fab564e6afd1dd452449e04619b18accc0ff9aa8393cd4928451f2",
    "2336f0181d264aed6d8f3a6507ca14a8d3b3c3a23791ac263e845d208c1ee330",
    "b4ce56e300590500360c146c6452edbede25d4ed83919278749ee5dbe178e048",
    "933f6ddc848ea562e4f9c5cfb5f176941301dad0c6fdb9d1fbbe34fac1be6966",
    "b95a6222958a86f74c030be27c44f57dbe313e5e7c7f4ffb98bcbd3a03bb52f2",
    "daeeb3ce5923defd0faeb8e0c210b753b85b809445d7d3d3cd537a9aabaa9c45",
    "7fadd0a13e9138a2aa6c3fdec4e2275af233b94812784f66bcca9aa8e989f2bc",
    "1864e6ba3e32878610546539734fb5eeae2529991f130c575c73a7e25a2a7c56",
    "12842d1202b1dc6828a17ab253c02e7ce9409b5192430feba44189f39cc02d66",
    "29af64b16fa3053c13d02ac63aa75b23aa468506e44c3a2315edc85d2dc22b11",
    "b527b99934a0bd9edd154e449b0502e2c499bba783f3bc3dfe23364b6b532009",
    "4584db8ae8e351ace08e01f306378a92bfd43611714814f3d834a2842d69faa8",
    "86a9a41573b0d6e4292f01e93243d6cc65b30f06606fc6fa57390e7e90ed580f",
    "a88b98fbe84d4c6aae8db9d1605dfac059d9f03fe0fcb0d5dff1295dacba09e6",
    "06326dc617a6d1f7021dc536026dbfd5fffc6f7c5531d48ef6ccd1ed1569f2a1",
    "f41fe8fdc3a2e4e8345e30216e7ebecffee26ff266eeced208a6c2a3cf08f960",
    "40cf5bde8abb76983f3e98ba97aa36240402975674e120f234b3448911090f8d",
    "b3222dc8658538079883d980d7fdc2bef9285344ea34338968f736b04aeb387a",
]
# Corrupted proofs every verifier must reject: transparency-dev/merkle@417fb0c31475 testdata (wantErr: true).
# (leaf_index, tree_size, leaf_hash, root, audit_path)
NEGATIVE_INCLUSION = [
    # testdata/inclusion/2/leafIdx-plus-@1.json
    (
        6,
        8,
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    # testdata/inclusion/2/modified-proof[1]-bit-@3.json
    (
        5,
        8,
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "c2854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    # testdata/inclusion/2/treeSize-mul-@2.json
    (
        5,
        16,
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    # testdata/inclusion/2/trailing-root.json
    (
        5,
        8,
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ],
    ),
]
# (size1, size2, root1, root2, proof)
NEGATIVE_CONSISTENCY = [
    # testdata/consistency/2/swapped-roots.json
    (
        6,
        8,
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    # testdata/consistency/2/truncated-proof.json
    (
        6,
        8,
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ],
    ),
    # testdata/consistency/2/preceding-root1.json
    (
        6,
        8,
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        [
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    # testdata/consistency/3/size1-plus-@1.json
    (
        3,
        5,
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


# --- Helpers -------------------------------------------------------------------------------------------


def _b(hexes: list[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hexes]


LEAVES = [leaf_hash(bytes.fromhex(d)) for d in LEAF_DATA]


def _getter(leaves: list[bytes], size: int | None = None):
    """get_node over a dict table, as the storage will serve it; refuses nodes outside the tree of `size`."""
    table = {(level, index): h for level, index, h in perfect_subtrees(leaves)}
    size = len(leaves) if size is None else size

    def get_node(level: int, index: int) -> bytes:
        assert (index + 1) << level <= size, f"({level}, {index}) is not a perfect subtree of size {size}"
        return table[level, index]

    return get_node


def _flips(value: bytes):
    """Every single-bit corruption of value."""
    for bit in range(len(value) * 8):
        flipped = bytearray(value)
        flipped[bit // 8] ^= 1 << (bit % 8)
        yield bytes(flipped)


def _mth_reference(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 MTH, recursive, exactly as written; an independent check on root_from_leaves."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(_mth_reference(leaves[:k]), _mth_reference(leaves[k:]))


@cache
def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(b"entry %d" % i) for i in range(n)]


# --- Hashing and roots ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("entry", "expected"), LEAF_KATS)
def test_leaf_hash_kats(entry, expected):
    assert leaf_hash(entry).hex() == expected


@pytest.mark.parametrize(("left", "right", "expected"), NODE_KATS)
def test_node_hash_kats(left, right, expected):
    assert node_hash(left, right).hex() == expected


def test_empty_tree_root_is_sha256_of_nothing():
    assert EMPTY_ROOT.hex() == ROOTS[0]
    assert root_from_leaves([]) == EMPTY_ROOT
    assert CompactRange().root() == EMPTY_ROOT
    assert subtree_root(0, 0, _getter([])) == EMPTY_ROOT


@pytest.mark.parametrize("size", range(9))
def test_roots_by_size(size):
    expected = ROOTS[size]
    assert root_from_leaves(LEAVES[:size]).hex() == expected
    assert subtree_root(0, size, _getter(LEAVES[:size])).hex() == expected
    assert CompactRange.from_storage(size, _getter(LEAVES[:size])).root().hex() == expected


def test_compact_range_reports_completed_subtrees():
    cr = CompactRange()
    completed = [cr.append(leaf) for leaf in LEAVES]
    assert [[(level, index) for level, index, _ in c] for c in completed] == [
        [(0, 0)],
        [(0, 1), (1, 0)],
        [(0, 2)],
        [(0, 3), (1, 1), (2, 0)],
        [(0, 4)],
        [(0, 5), (1, 2)],
        [(0, 6)],
        [(0, 7), (1, 3), (2, 1), (3, 0)],
    ]
    # The 8-leaf root is the one perfect subtree (3, 0); (2, 0) is the 4-leaf root.
    assert completed[7][3][2].hex() == ROOTS[8]
    assert completed[3][2][2].hex() == ROOTS[4]
    assert cr.size == 8
    assert cr.hashes == (bytes.fromhex(ROOTS[8]),)


def test_right_edge():
    assert right_edge(0) == []
    assert right_edge(1) == [(0, 0)]
    assert right_edge(6) == [(2, 0), (1, 2)]
    assert right_edge(7) == [(2, 0), (1, 2), (0, 6)]
    assert right_edge(8) == [(3, 0)]
    assert right_edge(13) == [(3, 0), (2, 2), (0, 12)]


# --- Inclusion -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("index", "size", "leaf", "path"), INCLUSION)
def test_inclusion_proof_matches_vector(index, size, leaf, path):
    assert LEAVES[index].hex() == leaf
    assert inclusion_proof(index, size, _getter(LEAVES[:size])) == _b(path)
    assert inclusion_proof_from_leaves(index, LEAVES[:size]) == _b(path)
    assert verify_inclusion(bytes.fromhex(leaf), index, size, _b(path), bytes.fromhex(ROOTS[size]))


@pytest.mark.parametrize(("index", "size", "leaf", "path"), INCLUSION)
def test_inclusion_rejects_any_flipped_bit(index, size, leaf, path):
    leaf, root, path = bytes.fromhex(leaf), bytes.fromhex(ROOTS[size]), _b(path)
    for bad in _flips(leaf):
        assert not verify_inclusion(bad, index, size, path, root)
    for bad in _flips(root):
        assert not verify_inclusion(leaf, index, size, path, bad)
    for i, element in enumerate(path):
        for bad in _flips(element):
            assert not verify_inclusion(leaf, index, size, [*path[:i], bad, *path[i + 1 :]], root)


@pytest.mark.parametrize(("index", "size", "leaf", "path"), INCLUSION)
def test_inclusion_rejects_wrong_index(index, size, leaf, path):
    leaf, root, path = bytes.fromhex(leaf), bytes.fromhex(ROOTS[size]), _b(path)
    for other in [-1, *range(size + 2)]:
        if other != index:
            assert not verify_inclusion(leaf, other, size, path, root)


@pytest.mark.parametrize(("index", "size", "leaf", "path"), INCLUSION)
def test_inclusion_rejects_wrong_size(index, size, leaf, path):
    leaf, path = bytes.fromhex(leaf), _b(path)
    for other in range(17):
        if other != size:
            # A forger presents another size together with that tree's genuine root.
            root = bytes.fromhex(ROOTS.get(other, ROOTS[size]))
            assert not verify_inclusion(leaf, index, other, path, root)


def test_inclusion_rejects_truncated_extended_and_malformed_proofs():
    index, size, leaf, path = INCLUSION[2]
    leaf, root, path = bytes.fromhex(leaf), bytes.fromhex(ROOTS[size]), _b(path)
    assert verify_inclusion(leaf, index, size, path, root)
    assert not verify_inclusion(leaf, index, size, path[:-1], root)
    assert not verify_inclusion(leaf, index, size, [*path, path[-1]], root)
    assert not verify_inclusion(leaf, index, size, [path[0][:31], *path[1:]], root)
    assert not verify_inclusion(leaf, index, size, path[::-1], root)


def test_size_is_bound_by_the_signed_tree_head_not_the_proof():
    """RFC 9162 verification cannot tell some sizes apart under the *same* root: a leaf-0 path in a tree
    of 8 also checks as size 5..7. Harmless because a root only ever travels signed with its size; this
    test pins that behaviour so callers never accept a size that is not bound to the root."""
    leaf, path, root = LEAVES[0], _b(INCLUSION[1][3]), bytes.fromhex(ROOTS[8])
    assert [verify_inclusion(leaf, 0, s, path, root) for s in range(1, 10)] == [
        False, False, False, False, True, True, True, True, False,
    ]  # fmt: skip


def test_inclusion_edge_cases():
    assert not verify_inclusion(LEAVES[0], 0, 0, [], EMPTY_ROOT)
    assert verify_inclusion(LEAVES[0], 0, 1, [], LEAVES[0])
    assert not verify_inclusion(LEAVES[0], 1, 1, [], LEAVES[0])
    assert not verify_inclusion(LEAVES[0], 0, 1, [LEAVES[1]], LEAVES[0])
    for index, size in [(0, 0), (3, 3), (-1, 3)]:
        with pytest.raises(ValueError):
            inclusion_proof(index, size, _getter(LEAVES[:3]))
        with pytest.raises(ValueError):
            inclusion_proof_from_leaves(index, LEAVES[:size])


def test_large_real_log_inclusion():
    leaf, root, path = bytes.fromhex(LARGE_LEAF), bytes.fromhex(LARGE_ROOT), _b(LARGE_PATH)
    assert verify_inclusion(leaf, LARGE_INDEX, LARGE_SIZE, path, root)
    assert not verify_inclusion(leaf, LARGE_INDEX + 1, LARGE_SIZE, path, root)
    assert not verify_inclusion(leaf, LARGE_INDEX, LARGE_SIZE * 2, path, root)
    for i, element in enumerate(path):
        for bad in _flips(element):
            assert not verify_inclusion(leaf, LARGE_INDEX, LARGE_SIZE, [*path[:i], bad, *path[i + 1 :]], root)


@pytest.mark.parametrize(("index", "size", "leaf", "root", "path"), NEGATIVE_INCLUSION)
def test_inclusion_negative_probes(index, size, leaf, root, path):
    assert not verify_inclusion(bytes.fromhex(leaf), index, size, _b(path), bytes.fromhex(root))


# --- Consistency ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_proof_matches_vector(old, new, proof):
    assert consistency_proof(old, new, _getter(LEAVES[:new])) == _b(proof)
    assert consistency_proof_from_leaves(old, LEAVES[:new]) == _b(proof)
    assert verify_consistency(old, new, bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new]), _b(proof))


@pytest.mark.parametrize(("old", "new", "proof"), [c for c in CONSISTENCY if c[0] != c[1]])
def test_consistency_rejects_any_flipped_bit(old, new, proof):
    old_root, new_root, proof = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new]), _b(proof)
    for bad in _flips(old_root):
        assert not verify_consistency(old, new, bad, new_root, proof)
    for bad in _flips(new_root):
        assert not verify_consistency(old, new, old_root, bad, proof)
    for i, element in enumerate(proof):
        for bad in _flips(element):
            assert not verify_consistency(old, new, old_root, new_root, [*proof[:i], bad, *proof[i + 1 :]])


@pytest.mark.parametrize(("old", "new", "proof"), [c for c in CONSISTENCY if c[0] != c[1]])
def test_consistency_rejects_wrong_sizes(old, new, proof):
    proof = _b(proof)
    for other_old in range(9):
        for other_new in range(other_old, 9):
            if (other_old, other_new) == (old, new):
                continue
            old_root, new_root = bytes.fromhex(ROOTS[other_old]), bytes.fromhex(ROOTS[other_new])
            assert not verify_consistency(other_old, other_new, old_root, new_root, proof)
    # Swapped roots and sizes.
    assert not verify_consistency(old, new, bytes.fromhex(ROOTS[new]), bytes.fromhex(ROOTS[old]), proof)
    assert not verify_consistency(new, old, bytes.fromhex(ROOTS[new]), bytes.fromhex(ROOTS[old]), proof)


@pytest.mark.parametrize(("old", "new", "root1", "root2", "proof"), NEGATIVE_CONSISTENCY)
def test_consistency_negative_probes(old, new, root1, root2, proof):
    assert not verify_consistency(old, new, bytes.fromhex(root1), bytes.fromhex(root2), _b(proof))


def test_consistency_edge_cases():
    r3, r5 = bytes.fromhex(ROOTS[3]), bytes.fromhex(ROOTS[5])
    # Same size: the empty proof, and only for equal roots.
    assert verify_consistency(3, 3, r3, r3, [])
    assert not verify_consistency(3, 3, r3, r5, [])
    assert not verify_consistency(3, 3, r3, r3, [r3])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    # From the empty tree: the empty proof, and only from the empty-tree root.
    assert verify_consistency(0, 5, EMPTY_ROOT, r5, [])
    assert not verify_consistency(0, 5, r3, r5, [])
    assert not verify_consistency(0, 5, EMPTY_ROOT, r5, [r5])
    # Shrinking, negative sizes and empty proofs for a real extension.
    assert not verify_consistency(5, 3, r5, r3, [])
    assert not verify_consistency(-1, 3, EMPTY_ROOT, r3, [])
    assert not verify_consistency(3, 5, r3, r5, [])
    get = _getter(LEAVES[:5])
    assert consistency_proof(0, 5, get) == consistency_proof(5, 5, get) == []
    assert consistency_proof_from_leaves(0, LEAVES[:5]) == consistency_proof_from_leaves(5, LEAVES[:5]) == []
    for old, new in [(6, 5), (-1, 5)]:
        with pytest.raises(ValueError):
            consistency_proof(old, new, get)


# --- Storage contract ----------------------------------------------------------------------------------


def _counting_getter(size: int):
    """Fake storage for a tree too big to build: checks every lookup is a stored perfect subtree."""
    calls = []

    def get_node(level: int, index: int) -> bytes:
        assert level >= 0 and index >= 0 and (index + 1) << level <= size, (level, index, size)
        calls.append((level, index))
        return hashlib.sha256(b"%d/%d" % (level, index)).digest()

    return get_node, calls


@pytest.mark.parametrize("size", [1_000_000, 1_048_576, 1_048_575, 3_630_887])
def test_proofs_cost_logarithmic_lookups(size):
    limit = 2 * size.bit_length()
    for index in [0, 1, size // 3, size - 2, size - 1]:
        get_node, calls = _counting_getter(size)
        proof = inclusion_proof(index, size, get_node)
        assert len(proof) <= size.bit_length() and len(calls) <= limit
    for old in [1, 2, size // 3, size - 1]:
        get_node, calls = _counting_getter(size)
        consistency_proof(old, size, get_node)
        assert len(calls) <= limit
    get_node, calls = _counting_getter(size)
    CompactRange.from_storage(size, get_node)
    assert len(calls) == size.bit_count()


def test_subtree_root_needs_aligned_ranges():
    get = _getter(LEAVES)
    assert subtree_root(4, 7, get) == root_from_leaves(LEAVES[4:7])
    assert subtree_root(6, 7, get) == LEAVES[6]
    for start, end in [(1, 3), (2, 6), (3, 5), (5, 4), (-1, 1)]:
        with pytest.raises(ValueError):
            subtree_root(start, end, get)


def test_compact_range_rejects_wrong_hash_count():
    with pytest.raises(ValueError):
        CompactRange(3, [LEAVES[0]])
    with pytest.raises(ValueError):
        CompactRange(-1)


# --- Properties ----------------------------------------------------------------------------------------

# Hypothesis checks the code under test, not the reference: the leaves of the property tests are prefixes of one
# fixed sequence, so their reference roots and node table are computed once (quadratic work, about 45,000 hashes)
# and every example costs what the code under test costs. Recomputing the root of every prefix inside each example
# made one example take up to 80 ms on an idle machine and trip Hypothesis' 200 ms deadline under load.
MAX_SIZE = 300
sizes = st.integers(min_value=1, max_value=MAX_SIZE)


@cache
def _prefix_roots() -> tuple[bytes, ...]:
    """root_from_leaves(_leaves(MAX_SIZE)[:i]) for every i, each computed from scratch by the reference."""
    leaves = _leaves(MAX_SIZE)
    return tuple(root_from_leaves(leaves[:i]) for i in range(MAX_SIZE + 1))


@cache
def _prefix_table() -> dict[tuple[int, int], bytes]:
    return {(level, index): h for level, index, h in perfect_subtrees(_leaves(MAX_SIZE))}


@pytest.fixture(scope="module", autouse=True)
def _prefix_references():
    """Computed before the first example, so that no example pays for them."""
    _prefix_roots()
    _prefix_table()


def _prefix_getter(size: int):
    """get_node for the tree of the first `size` leaves of _leaves(MAX_SIZE); refuses nodes outside it."""
    table = _prefix_table()

    def get_node(level: int, index: int) -> bytes:
        assert (index + 1) << level <= size, f"({level}, {index}) is not a perfect subtree of size {size}"
        return table[level, index]

    return get_node


def test_the_prefix_references_agree_with_the_rfc_definition():
    """The shared references themselves: spot checks against the recursive MTH and a rebuilt table."""
    leaves, roots = _leaves(MAX_SIZE), _prefix_roots()
    for size in (0, 1, 2, 3, 7, 8, 9, 128, 255, 256, 257, MAX_SIZE):
        assert roots[size] == _mth_reference(leaves[:size])
        assert all(
            _prefix_getter(size)(level, index) == h for level, index, h in perfect_subtrees(leaves[:size])
        )


@given(st.data(), sizes)
def test_inclusion_get_node_equals_list_and_verifies(data, n):
    leaves = _leaves(n)
    index = data.draw(st.integers(0, n - 1))
    proof = inclusion_proof(index, n, _prefix_getter(n))
    assert proof == inclusion_proof_from_leaves(index, leaves)
    assert verify_inclusion(leaves[index], index, n, proof, _prefix_roots()[n])


@given(st.data(), sizes)
def test_consistency_get_node_equals_list_and_verifies(data, n):
    leaves, roots = _leaves(n), _prefix_roots()
    m = data.draw(st.integers(0, n))
    proof = consistency_proof(m, n, _prefix_getter(n))
    assert proof == consistency_proof_from_leaves(m, leaves)
    assert verify_consistency(m, n, roots[m], roots[n], proof)
    if 0 < m < n:
        assert not verify_consistency(m, n, roots[m - 1], roots[n], proof)


@settings(max_examples=50)
@given(st.lists(st.binary(max_size=16), max_size=300))
def test_root_from_leaves_equals_rfc_definition(entries):
    leaves = [leaf_hash(e) for e in entries]
    assert root_from_leaves(leaves) == _mth_reference(leaves)


@settings(max_examples=30)
@given(st.data(), sizes)
def test_compact_range_matches_every_prefix_and_resumes_from_storage(data, n):
    leaves, roots = _leaves(n), _prefix_roots()
    cr = CompactRange()
    emitted = {}
    for i, leaf in enumerate(leaves):
        for level, index, h in cr.append(leaf):
            emitted[level, index] = h
        assert cr.root() == roots[i + 1]
    # What it asked the storage to persist is exactly the perfect-subtree table.
    assert emitted == {(level, index): h for level, index, h in perfect_subtrees(leaves)}
    # Reopened from the stored right edge at any size, it carries on to the same tree.
    m = data.draw(st.integers(0, n))
    resumed = CompactRange.from_storage(m, _prefix_getter(m))
    for leaf in leaves[m:]:
        resumed.append(leaf)
    assert resumed.hashes == cr.hashes and resumed.root() == cr.root()
