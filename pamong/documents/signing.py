"""The agency's signing key and certificate, PAdES signatures (pyHanko) and their validation.

Production: a PKCS#12 file with the key and the certificate issued to the agency (BSrE), configured by path
and passphrase (PAMONG_DOCUMENTS_SIGNING_P12, PAMONG_DOCUMENTS_SIGNING_PASSPHRASE) and the root that verifiers
trust (PAMONG_DOCUMENTS_TRUST_ROOT). Unset (development, tests, `pamong demo`): a demo CA and an agency
certificate are made under the var directory on first use (`ensure_demo_certificates`); production refuses that
(letters stay pending, retried, until the key is configured).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

DEMO_DIR_NAME = "documents-demo-ca"
DEMO_PASSPHRASE = b"pamong-demo-only"  # the demo's own key file; production keys come from the environment
FIELD_NAME = "TandaTanganElektronik"


@dataclass(frozen=True)
class KeyPaths:
    p12: Path
    passphrase: bytes
    trust_root: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pamong (demo, bukan BSrE)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def ensure_demo_certificates(directory: Path | None = None) -> KeyPaths:
    """A demo CA and an agency signing certificate issued by it (EC P-256), made once under `directory`
    (default: <var>/documents-demo-ca). Idempotent: existing files are kept."""
    directory = directory or Path(settings.VAR_DIR) / DEMO_DIR_NAME
    paths = KeyPaths(directory / "agency.p12", DEMO_PASSPHRASE, directory / "ca.pem")
    if paths.p12.exists() and paths.trust_root.exists():
        return paths
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Pamong Demo Root CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Pamong Demo — Penandatangan Instansi"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # digital signature + non-repudiation (content commitment): what a document signature needs
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"agency",
        key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(DEMO_PASSPHRASE),
    )
    tmp = paths.p12.with_suffix(".tmp")
    tmp.write_bytes(bundle)
    tmp.replace(paths.p12)
    paths.trust_root.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return paths


def key_paths() -> KeyPaths:
    if settings.PAMONG_DOCUMENTS_SIGNING_P12:
        return KeyPaths(
            Path(settings.PAMONG_DOCUMENTS_SIGNING_P12),
            settings.PAMONG_DOCUMENTS_SIGNING_PASSPHRASE.encode(),
            Path(settings.PAMONG_DOCUMENTS_TRUST_ROOT),
        )
    if settings.PAMONG_ENVIRONMENT == "production":
        # Never the demo CA in production: letters stay pending (and are retried) until the key is configured.
        raise ImproperlyConfigured("PAMONG_DOCUMENTS_SIGNING_P12 is not set: letters cannot be signed")
    return ensure_demo_certificates()


@functools.cache
def _signer(p12: str, passphrase: bytes) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=passphrase)
    if signer is None:
        raise RuntimeError(f"Cannot read the signing key {p12} (wrong passphrase or not PKCS#12).")
    return signer


def signer() -> signers.SimpleSigner:
    paths = key_paths()
    return _signer(str(paths.p12), paths.passphrase)


def signer_name() -> str:
    return signer().signing_cert.subject.human_friendly


def bytes_reserved(simple_signer: signers.SimpleSigner) -> int:
    """Room for the CMS signature in the file, from the certificates it carries (the chain dominates; the
    signature value and signed attributes fit in the margin). Known in advance, pyHanko skips signing a dummy
    container to measure it: that halved the signing time per letter (pyinstrument)."""
    chain = [simple_signer.signing_cert, *simple_signer.cert_registry]
    return 2 * sum(len(cert.dump()) for cert in chain) + 4096


@functools.cache
def _reserved(p12: str, passphrase: bytes) -> int:
    return bytes_reserved(_signer(p12, passphrase))


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """A PAdES baseline signature (B-B: signing certificate attribute, no timestamp server) over the whole file."""
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    paths = key_paths()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = signers.PdfSigner(meta, signer=_signer(str(paths.p12), paths.passphrase))
    out = pdf_signer.sign_pdf(writer, bytes_reserved=_reserved(str(paths.p12), paths.passphrase))
    return out.getvalue()


@functools.cache
def _trust_root(path: str) -> asn1_x509.Certificate:
    data = Path(path).read_bytes()
    cert = x509.load_pem_x509_certificate(data)
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class Validation:
    intact: bool  # the signed bytes are unchanged
    trusted: bool  # the certificate chains to the trusted root
    covers_whole_file: bool  # nothing was added after the signature
    signer: str

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.covers_whole_file


def validate(pdf: bytes) -> Validation:
    """Validate the (first) signature with pyHanko against the configured trust root. A file that is not a
    signed PDF at all is not valid (never an exception)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
        if not embedded:
            return Validation(False, False, False, "")
        sig = embedded[0]
        context = ValidationContext(trust_roots=[_trust_root(str(key_paths().trust_root))])
        status = validate_pdf_signature(sig, context)
        coverage = sig.coverage is not None and sig.coverage.name == "ENTIRE_FILE"
        return Validation(
            bool(status.intact and status.valid),
            bool(status.trusted),
            coverage,
            status.signing_cert.subject.human_friendly if status.signing_cert else "",
        )
    except Exception:  # a damaged file: pyHanko raises many kinds; any of them means "not valid"
        return Validation(False, False, False, "")
