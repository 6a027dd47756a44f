"""Personal data held by registry: the population and welfare records other agencies supply (people,
households, their vehicles and school enrolments). They are the source agencies' data, kept as each load
delivered it with its provenance: Pamong neither exports them as the person's own submissions nor erases them
(corrections go to the source agency, and a new load replaces them)."""

from pamong.core.personal_data import PersonalData, declare

declare(
    PersonalData(
        module="registry",
        models=(
            "registry.Person",
            "registry.Household",
            "registry.VehicleRecord",
            "registry.SchoolEnrollment",
        ),
        retention="as long as the source agency's data set is in force; replaced by the next load",
    )
)
