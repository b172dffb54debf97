from datetime import date

from pipeline.entities import SPAN_KEY
from pipeline.resources import load_gazetteer


def mentions(doc, label=None):
    return [(s.text, s.label_, s._.canonical, s._.country_code) for s in doc.spans[SPAN_KEY] if label is None or s.label_ == label]


def test_north_korea_in_all_its_names_is_prk(extract):
    doc = extract("North Korean state media said Pyongyang fired missiles. The DPRK and North Korea deny it.")
    countries = mentions(doc, "COUNTRY")
    assert {c[0] for c in countries} >= {"North Korean", "Pyongyang", "DPRK", "North Korea"}
    assert {(c[2], c[3]) for c in countries} == {("North Korea", "PRK")}


def test_capitals_stand_for_governments_but_not_as_places(extract):
    doc = extract("North Korea fires 2 missiles into Sea of Japan, Seoul says. Talks between Pyongyang and Washington stalled.")
    assert ("Seoul", "COUNTRY", "South Korea", "KOR") in mentions(doc)
    assert ("Washington", "COUNTRY", "United States", "USA") in mentions(doc)
    trip = extract("Biegun's remarks were made aboard Mike Pompeo's plane during the return trip to Washington from Korea.")
    assert ("Washington", "LOCATION", "Washington", "USA") in mentions(trip)
    seoul = extract("Footage of a North Korean missile launch played on a television in Seoul, South Korea.")
    assert ("Seoul", "LOCATION", "Seoul", "KOR") in mentions(seoul)


def test_weapons_from_patterns_and_gazetteer(extract):
    doc = extract(
        "North Korea fired 2 short-range ballistic missiles after testing a newly developed large-caliber multiple rocket "
        "launcher system. Analysts compared them with the KN-23 and the Hwasong-15."
    )
    weapons = {m[2] for m in mentions(doc, "WEAPON")}
    assert weapons >= {"short-range ballistic missile", "large-caliber multiple rocket launcher system", "KN-23", "Hwasong-15"}


def test_a_bare_weapon_noun_names_the_weapon_named_before(extract):
    doc = extract("North Korea fired multiple short-range projectiles into the sea. The projectiles flew 200 km.")
    assert {m[2] for m in mentions(doc, "WEAPON")} == {"short-range projectile"}


def test_a_modifier_noun_is_no_weapon_of_its_own(extract):
    doc = extract("Trump downplayed North Korea's missile tests and its weapons program.")
    assert mentions(doc, "WEAPON") == []


def test_one_person_one_canonical_name(extract):
    doc = extract("North Korean leader Kim Jong-un met Trump. Kim Jong Un smiled, and Kim left.")
    people = {m[0]: m[2] for m in mentions(doc, "PERSON")}
    assert people["Kim Jong-un"] == people["Kim Jong Un"] == people["Kim"] == "Kim Jong-un"
    assert {m[3] for m in mentions(doc, "PERSON") if m[2] == "Kim Jong-un"} == {"PRK"}


def test_people_without_a_fuller_form_keep_their_name(extract):
    doc = extract("Steve Biegun told reporters on Sunday. Biegun said the administration is not ready.")
    assert {m[2] for m in mentions(doc, "PERSON")} == {"Steve Biegun"}


def test_organizations_are_canonical_and_carry_their_country(extract):
    doc = extract("South Korea's Joint Chiefs of Staff said so, according to AP. The U.N. and KCNA disagreed.")
    orgs = {m[2]: m[3] for m in mentions(doc, "ORG")}
    assert orgs["Joint Chiefs of Staff"] == "KOR"
    assert "Associated Press" in orgs and "United Nations" in orgs and orgs["KCNA"] == "PRK"


def test_the_component_serializes_its_resources(nlp, tmp_path):
    component = nlp.get_pipe("news_entities")
    component.to_disk(tmp_path / "entities")
    assert (tmp_path / "entities" / "countries.tsv").exists() and (tmp_path / "entities" / "weapons.json").exists()
    assert component.from_disk(tmp_path / "entities") is component


def test_named_systems_with_their_modifiers_and_names_that_only_look_like_weapons(extract):
    doc = extract("Iran has test-fired its newly acquired Chinese-made Silkworm anti-shipping missile. The Rodong Sinmun newspaper said so.")
    assert {m[2] for m in mentions(doc, "WEAPON")} == {"Silkworm anti-shipping missile"}
    assert ("Rodong Sinmun", "ORG", "Rodong Sinmun", "PRK") in mentions(doc)


def test_an_acronym_inside_an_organization_name_names_it(extract):
    doc = extract("The official Iranian News Agency IRNA said the ships were seized.")
    assert [m[2] for m in mentions(doc, "ORG")] == ["IRNA"]


def test_a_capital_stands_for_the_state_of_its_day(extract):
    then = extract("Moscow blamed the end of the freeze on Washington.", date(1987, 3, 11))
    now = extract("Moscow blamed the end of the freeze on Washington.", date(2019, 3, 11))
    assert ("Moscow", "COUNTRY", "Soviet Union", "SUN") in mentions(then)
    assert ("Moscow", "COUNTRY", "Russia", "RUS") in mentions(now)


def test_honorifics_facilities_and_embassies(extract):
    doc = extract("Hillary Clinton called donors. Mrs Clinton spoke at Trump Tower, and Chad's Paris embassy issued a statement.")
    assert {m[2] for m in mentions(doc, "PERSON")} == {"Hillary Clinton"}
    assert ("Trump Tower", "LOCATION", "Trump Tower", None) in mentions(doc)
    assert ("Paris", "LOCATION", "Paris", "FRA") in mentions(doc)


def test_a_state_or_province_carries_its_country_and_the_story_its_setting(extract):
    doc = extract("Two officers were shot in Texas on Sunday. Police in Ontario said a man was arrested. In Texas, the "
                  "governor ordered flags lowered.")
    assert ("Texas", "LOCATION", "Texas", "USA") in mentions(doc)
    assert ("Ontario", "LOCATION", "Ontario", "CAN") in mentions(doc)
    assert doc._.setting_country == ("United States", "USA")  # named most; the first named on a tie
    shared = extract("Heavy rain fell in Santa Cruz on Monday.")  # a province of Argentina, a department of Bolivia
    assert [m[3] for m in mentions(shared, "LOCATION")] == [None]


def test_a_city_carries_its_country_and_sets_the_story(extract):
    """A story that names only its cities is set in their country (GeoNames, `models/city_countries.tsv`); a name
    two countries' cities of like size share ('Hyderabad': India and Pakistan) gives none."""
    doc = extract("Police shot a man in San Francisco on Sunday. Officers in Oakland said a second man was arrested.")
    assert ("San Francisco", "LOCATION", "San Francisco", "USA") in mentions(doc)
    assert doc._.setting_country == ("United States", "USA")
    assert ("Florida", "LOCATION", "Florida", "USA") in mentions(extract("Heavy rain fell in Florida on Monday."))
    shared = extract("Heavy rain fell in Hyderabad on Monday.")
    assert [m[3] for m in mentions(shared, "LOCATION")] == [None]


def test_a_name_that_ends_a_fuller_one_in_the_story_is_that_person(extract):
    doc = extract("Aung San Suu Kyi spoke on Monday. Suu Kyi said on Tuesday she would travel.")
    assert {m[2] for m in mentions(doc, "PERSON")} == {"Aung San Suu Kyi"}


def test_an_organization_the_model_cuts_is_found_by_the_gazetteer(extract):
    doc = extract("Islamic State militants seized the town on Sunday.")
    assert ("Islamic State", "ORG", "Islamic State", None) in mentions(doc)


def test_a_dateline_run_into_the_first_sentence_is_no_part_of_the_name_after_it(extract):
    """Wire copy runs its dateline into the first sentence without a dash; the statistical model alone reads
    'SEATTLE Jeff Bezos' as one person and 'BEIJING China' as an organization."""
    bezos = extract("SEATTLE Jeff Bezos said on Monday that his rocket company would fly tourists next year.")
    assert ("Jeff Bezos", "PERSON", "Jeff Bezos", None) in mentions(bezos)
    assert [e.actor for e in bezos._.events if e.event_type == "statement"] == ["Jeff Bezos"]
    china = extract("BEIJING China said on Friday it firmly opposed the new sanctions.")
    assert ("China", "COUNTRY", "China", "CHN") in mentions(china) and not mentions(china, "ORG")
    cities = extract("NEW YORK/DHAKA Investigators probing the cyber heist said on Friday they had found malware.")
    assert "DHAKA Investigators" not in {m[0] for m in mentions(cities)}
    # capitals that name no city are left to the statistical model: an acronym opens the story
    nato = extract("NATO Secretary General Jens Stoltenberg said on Monday the alliance would stay.")
    assert "NATO" in {m[2] for m in mentions(nato, "ORG")}


def test_a_title_the_model_takes_in_is_no_part_of_the_name(extract):
    doc = extract("Dunmore Police Superintendent Dana Kerr said on Monday that more officers would patrol. "
                  "Former President George W. Bush said on Friday that he would not attend. King Abdullah met him.")
    people = {m[2] for m in mentions(doc, "PERSON")}
    assert {"Dana Kerr", "George W. Bush"} <= people
    assert "King Abdullah" in people  # a title a person is known by stays
    doc = extract("Lawyer Tom Hale said his client would appeal. City Councilman Robert Vance voted against the budget.")
    assert {"Tom Hale", "Robert Vance"} <= {m[2] for m in mentions(doc, "PERSON")}


def test_a_surname_the_model_takes_for_a_place_is_the_person_named_before(extract):
    doc = extract("A jury found Peter Liang guilty. At trial, Liang, 28, testified that a noise startled him.")
    assert [m[2] for m in mentions(doc) if m[0] == "Liang"] == ["Peter Liang"]
    assert "LOCATION" not in {m[1] for m in mentions(doc)}


def test_a_credit_line_names_journalists(extract):
    """Wire copy ends with its credits; the model, reading no sentence there, takes the names for organizations."""
    doc = extract("Police said the man was arrested on Friday.\n\n(Reporting by Curtis Skinner in San Francisco and "
                  "Ayla Jean Yackley in Istanbul; Writing by Alistair Bell; Editing by Nick Macfie and G Crosse)")
    assert {m[2] for m in mentions(doc, "PERSON")} == {"Curtis Skinner", "Ayla Jean Yackley", "Alistair Bell",
                                                        "Nick Macfie", "G Crosse"}
    assert not mentions(doc, "ORG")
    assert "Istanbul" in {m[0] for m in mentions(doc)}  # where a journalist filed from is still a place
    joined = extract("Police said the man was arrested on Friday.\n\n(Reporting by Kim Palmer, Writing by Ben Klayman; "
                     "Writing and additional reporting by Fiona Ortiz; Editing by Lisa Von Ahn)")
    assert {m[2] for m in mentions(joined, "PERSON")} == {"Kim Palmer", "Ben Klayman", "Fiona Ortiz", "Lisa Von Ahn"}


def test_no_organization_of_a_time_zone_a_cut_acronym_or_a_social_network(extract):
    doc = extract("The National League for Democracy (NLD) said at 1100 GMT that its leader had written on Twitter.")
    assert {m[2] for m in mentions(doc, "ORG")} == {"National League for Democracy", "Twitter"}
    assert not mentions(doc, "PERSON")


def test_the_weapons_of_crime_and_riot_news_and_words_that_name_no_weapon(extract):
    doc = extract("Police fired tear gas and pepper spray at the crowd. A man stabbed two women with knives and fired a "
                  "semi-automatic rifle. A suicide bomber blew himself up. The weapons were seized.")
    assert {m[2] for m in mentions(doc, "WEAPON")} == {"tear gas", "pepper spray", "knife", "semi-automatic rifle"}


def test_a_name_the_model_tags_an_organization_is_the_person_the_story_tags_by_surname(extract):
    doc = extract("Officers were charged in the death of Freddie Gray. Gray's family said he was healthy before his "
                  "arrest. Apple Inc (AAPL.O) declined to comment.")
    assert {m[2] for m in mentions(doc, "PERSON")} == {"Freddie Gray"}
    assert {m[2] for m in mentions(doc, "ORG")} == {"Apple Inc"}  # not the code of its shares


def test_a_body_of_a_state_is_named_with_its_state(extract):
    doc = extract("China's Foreign Ministry said on Monday it opposed the sale. The U.S. Navy said a destroyer had sailed "
                  "near the islands.")
    assert {m[2] for m in mentions(doc, "ORG")} == {"China's Foreign Ministry", "U.S. Navy"}
    assert "China" in {m[2] for m in mentions(doc, "COUNTRY")}


def test_an_organization_named_after_its_state_is_the_gazetteers(extract):
    """'U.S. Federal Bureau of Investigation' is the FBI: the state an organization belongs to may come before its
    name; another state's may not ('Russian Federal Bureau of Investigation' is no FBI)."""
    doc = extract("The U.S. Federal Bureau of Investigation said on Monday it had opened an inquiry.")
    assert "FBI" in {m[2] for m in mentions(doc, "ORG")}
    assert load_gazetteer().organization("Russian Federal Bureau of Investigation") is None


def test_a_name_ending_in_a_word_of_a_place_is_no_organization(extract):
    """'... Wildlife Refuge', '... Station' (`place_name_ends`), whatever the model tagged it; a 'Center' may be an
    institution and stays one."""
    doc = extract("Hunters gathered at the Bear Creek National Wildlife Refuge in Montana. Police closed Union Station in "
                  "Washington. The Pew Research Center said on Monday that most voters agreed.")
    organizations = {m[2] for m in mentions(doc, "ORG")}
    assert not {"Bear Creek National Wildlife Refuge", "Union Station"} & organizations
    assert "Pew Research Center" in organizations


def test_a_name_written_with_an_age_or_as_someones_kin_is_a_person(extract):
    """News writes a person's age after the name ('Madison Carver, 41,') or before it ('a 29-year-old'), and names
    kin in apposition ('her husband, Lincoln Fairbanks'): a person, whatever the model tagged the name (here an
    organization or a place)."""
    doc = extract("Officers shot the man, Madison Carver, 41, outside a shop in Ohio. Her husband, Lincoln Fairbanks, "
                  "was wounded during a traffic stop near Dayton. Officers also shot the driver, Houston Fairfax, 41, "
                  "outside the shop. A 29-year-old Denver Hale was wounded too.")
    names = {"Madison Carver", "Lincoln Fairbanks", "Houston Fairfax", "Denver Hale"}
    assert names <= {m[2] for m in mentions(doc, "PERSON")}
    assert not names & {m[2] for m in mentions(doc) if m[1] != "PERSON"}


def test_armed_groups_under_their_other_names_are_one_organization(extract):
    """The gazetteer's aliases: 'PKK', 'al-Shabaab', 'Islamic State of Iraq and Syria' (where the model cuts the name
    after 'Iraq', the group's name before 2013)."""
    doc = extract("The Islamic State of Iraq and Syria claimed the attack. Turkey blamed the PKK for a second one, and "
                  "Kenya said al-Shabaab fighters had crossed the border.")
    assert {"Islamic State", "Kurdistan Workers Party", "al-Shabab"} <= {m[2] for m in mentions(doc, "ORG")}


def test_an_acronym_or_short_name_of_an_organization_the_story_names_in_full_is_that_organization(extract):
    """One name per organization in a story, as per person: the acronym a story spells out (whatever the model took
    the long form for), the one whose initials fit a named organization, the last words of its name or of its
    name's head ('the Institute' of an 'Institute for ...') and a company's name without its designator. The gazetteer's organizations keep their own names."""
    doc = extract("The General Agreement on Tariffs and Trade (GATT) opened talks in Geneva. GATT members met on Monday. "
                  "The Syrian Democratic Forces said they had taken the town, and the SDF said more fighting lay ahead. "
                  "The European Commission proposed a ban. The Commission said the ban would start in May. Boeing Co "
                  "said it had won the order, and Boeing shares rose. Islamic State claimed the attack.")
    canonical = {m[0]: m[2] for m in mentions(doc, "ORG")}
    assert canonical["GATT"] == "General Agreement on Tariffs and Trade"
    assert canonical["SDF"] == "Syrian Democratic Forces"
    assert canonical["Commission"] == "European Commission"
    assert canonical["Boeing"] == "Boeing Co"
    assert canonical["Islamic State"] == "Islamic State"
    head = extract("The Baltic Institute for Peace Studies released a survey on Monday. The Institute said most voters "
                   "backed the treaty.")
    assert {m[0]: m[2] for m in mentions(head, "ORG")}.get("Institute") == "Baltic Institute for Peace Studies"


def test_an_acronym_two_organizations_of_the_story_fit_stays_as_written(extract):
    doc = extract("The European Commission and the European Council met in Brussels. The EC said it would act.")
    assert ("EC", "ORG", "EC", None) in mentions(doc, "ORG")


def test_a_plural_or_a_title_the_model_tags_a_person_names_no_one(extract):
    doc = extract("Aides to the governor said the bill would pass. Photographs showed the Kennedys at the pier. A man "
                  "was arrested, Sgt. Robert Miller said.")
    assert {m[2] for m in mentions(doc, "PERSON")} == {"Robert Miller"}


def test_a_faith_or_community_is_no_organization(extract):
    doc = extract("Shi'ite militias and the Islamic State fought for the town. LGBT groups said Islam was not to blame.")
    assert {m[2] for m in mentions(doc, "ORG")} == {"Islamic State"}


def test_a_city_the_model_takes_for_a_name_is_a_place_unless_it_acts(extract):
    doc = extract("Rebels fired on Homs and Quetta on Sunday. Hillary Clinton met Clinton supporters in Nice with her "
                  "daughter Chelsea. Toyota said its sales rose.")
    assert {m[0] for m in mentions(doc, "LOCATION")} >= {"Homs", "Nice"}
    assert {m[2] for m in mentions(doc, "PERSON")} == {"Hillary Clinton", "Chelsea"}
    assert ("Toyota", "ORG", "Toyota", None) in mentions(doc)
