"""Indonesian word forms: inflected queries find the right services (Sastrawi stemming)."""

import pytest

from pamong.catalog import search, selectors


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("kelahiran", "lahir"),
        ("pembuatan", "buat"),
        ("perizinan", "izin"),
        ("keterangan", "terang"),
        ("bantuan", "bantu"),
    ],
)
def test_stemming_reduces_words_to_their_root(word, root):
    assert search.stem_word(word) == root


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("pembuatan akta kelahiran anak", "akta-kelahiran"),
        ("mengurus akta kematian ayah", "akta-kematian"),
        ("pendaftaran bantuan sosial untuk keluarga miskin", "bansos-pkh"),
        ("perizinan usaha mikro", "nib-risiko-rendah"),
        ("surat keterangan tidak mampu untuk beasiswa", "sktm"),
        ("perubahan kartu keluarga", "kartu-keluarga"),
        ("Birth certificate", "akta-kelahiran"),
    ],
)
def test_inflected_queries_find_the_right_service_first(demo_catalog, query, first):
    results = selectors.service_list(query=query)
    assert results[0].slug == first


@pytest.mark.django_db
def test_a_query_without_meaning_finds_nothing(demo_catalog):
    assert selectors.service_list(query="yang dan di") == []
    assert selectors.service_list(query="xylofon") == []


@pytest.mark.django_db
def test_filter_by_agency(demo_catalog):
    slugs = [service.slug for service in selectors.service_list(agency="disdukcapil-kota-bandung")]
    assert slugs == ["akta-kelahiran", "akta-kematian", "kartu-keluarga"]
