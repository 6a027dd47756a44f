import pytest


@pytest.fixture
def reference_data(db):
    from pamong.registry import services

    return services.load_reference_data()


@pytest.fixture
def registry_data(db):
    """Reference data and the synthetic demo population (pamong.registry.demo documents the fixed people)."""
    from pamong.registry import services

    return services.load_reference_data(population=True)
