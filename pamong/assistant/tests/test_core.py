"""The pure core: everyday words understood, answers made only of cited source fields (and a tampered answer
caught), confidence, masking."""

from __future__ import annotations

import dataclasses

import pytest

from pamong.assistant import core
from pamong.assistant.masking import mask

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("bikin akte lahir anak gmn", ["buat", "akta", "lahir", "anak", "bagaimana"]),
        ("kenapa bansos sy ditolak", ["kenapa", "bansos", "bantuan", "sosial", "saya", "ditolak"]),
        ("syarat sktm apa aja", ["syarat", "sktm", "surat", "keterangan", "tidak", "mampu", "apa", "saja"]),
        ("kk ilang min", ["kk", "kartu", "keluarga", "hilang"]),
        ("anak2 sayaaa", ["anak", "saya"]),
    ],
)
def test_everyday_words_become_the_catalogs_words(text, words):
    assert core.tokens(text) == words


def test_a_misspelt_word_is_corrected_towards_the_catalog(demo_catalog):
    from pamong.assistant import knowledge

    kb = knowledge.build_knowledge()
    assert kb.correct("kelahran") == "kelahiran"
    assert kb.correct("presiden") == "presiden"  # a real word absent from the catalog stays itself


def test_every_sentence_is_a_template_filled_with_source_fields(demo_catalog):
    from pamong.assistant import knowledge

    kb = knowledge.build_knowledge()
    answer = core.answer("biaya kk berapa", kb)
    assert [s.text for s in answer.sentences] == [
        "Biaya Kartu Keluarga (Penerbitan dan Perubahan): gratis (Rp0).",
        "Tidak dipungut biaya (Pasal 79A UU 24/2013).",
        "Selengkapnya: /layanan/kartu-keluarga/",
    ]
    assert core.supported(answer, kb.fields_of()) == []
    # A sentence whose value is not what the source says is caught ...
    first = answer.sentences[0]
    forged = dataclasses.replace(first, slots=(first.slots[0], ("fee_text", "fee_text", "Rp50.000")))
    tampered = dataclasses.replace(answer, sentences=(forged, *answer.sentences[1:]))
    assert core.supported(tampered, kb.fields_of()) == [
        "Biaya Kartu Keluarga (Penerbitan dan Perubahan): Rp50.000."
    ]
    # ... and so is one citing a source that is not there, or a template that does not exist.
    uncited = dataclasses.replace(answer, sentences=(dataclasses.replace(first, source=5),))
    invented = dataclasses.replace(answer, sentences=(core.Sentence("free_text", (), 0),))
    assert core.supported(uncited, kb.fields_of()) != []
    assert core.supported(invented, kb.fields_of()) == ["free_text"]


def test_low_coverage_is_handed_over_with_its_reason(demo_catalog):
    from pamong.assistant import knowledge

    kb = knowledge.build_knowledge()
    off_topic = core.answer("ibu kota indonesia apa", kb)
    assert (off_topic.handover, off_topic.sentences) == (True, ())
    other = core.answer("akta nikah syaratnya", kb)  # "akta" matches, "nikah" is another agency's service
    assert (other.handover, other.reason) == (True, "other_agency")
    assert core.answer("akta kelahiran syaratnya", kb).handover is False


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("NIK saya 3273071206750001", "NIK saya [NIK]"),
        ("nik 3273 0712 0675 0001 ya", "nik [NIK] ya"),
        ("hp 081234567890", "hp [telepon]"),
        ("wa +62 812-3456-7890", "wa [telepon]"),
        ("email siti@contoh.id", "email [email]"),
        ("no kk 32730701010500019999", "no kk [nomor]"),
        ("akta lahir 60 hari", "akta lahir 60 hari"),
    ],
)
def test_personal_numbers_are_masked(text, masked):
    assert mask(text) == masked
