#!/usr/bin/env python3
"""Writes the fixtures of tests/review/e2e_test.sh into this folder.

The records are invented for the test (authors, titles, PMIDs, Embase accession numbers); their
DOIs use Crossref's test prefix 10.5555, so none of them names a real article. They imitate the
exports described in shared/methods/review.md section 1:

  pubmed.nbib   PubMed MEDLINE (.nbib): starts with a blank line, `PMID- ` records separated by
                blank lines, tags left-justified in four columns, continuation lines indented by
                six spaces, FAU/AU, elided page ranges ("1021-9"), DOIs in LID/AID "[doi]".
  embase.ris    Embase.com RIS with CRLF line ends: TY/M3/Y1/A1/T1/JF/N2/DO/U2 L.../C5 PMID/
                DB Medline/ER. Five records are articles that pubmed.nbib also holds, written
                the Embase way (see DUPLICATES); one is an erratum of a PubMed article that must
                not be merged with it.

  citations.ris Citation searching (reference lists of the included studies) as a reference
                manager's RIS export (Zotero's tags, LF line ends): two records are articles the
                databases found too, one is listed twice (two reference lists cite it, one in
                title case), four are found nowhere else (see CITATIONS).

and broken copies of the first two, which `srma review import` must refuse whole (file and line
named):

  pubmed_truncated.nbib  the download cut off in the middle of a tag name (last line "FA")
  pubmed_corrupt.nbib    the fourth record's title tag written "TI  -Prophylactic ..." (no space
                         after the dash)
  embase_truncated.ris   cut after the last record's N2 line: no final "ER  - "
  embase_corrupt.ris     the seventh record's "TY  - JOUR" written "TY - JOUR", so its tags
                         stand outside any record

Run it from anywhere: python3 tests/data/review/e2e/make_fixtures.py
"""

from __future__ import annotations

import hashlib
import pathlib
import textwrap

HERE = pathlib.Path(__file__).resolve().parent


def issn(journal: str) -> str:
    """An invented ISSN-like number per journal name (stable across runs)."""
    n = int(hashlib.sha256(journal.lower().encode()).hexdigest(), 16) % 10**8
    return f"{n // 10**4:04d}-{n % 10**4:04d}"

# (pmid, title, [(full name, short name)], journal title, journal abbreviation, DP, VI, IP, PG,
#  doi, abstract)
PUBMED = [
    ("36981204",
     "Primary tumour resection in small intestinal neuroendocrine tumours with unresectable liver "
     "metastases: a propensity score-matched cohort study.",
     [("Lindqvist, Anna K", "Lindqvist AK"), ("Berger, Tomas", "Berger T"),
      ("Haugen, Ingrid M", "Haugen IM"), ("Okafor, Chidi E", "Okafor CE"),
      ("Wallin, Goran", "Wallin G")],
     "Annals of surgical oncology", "Ann Surg Oncol", "2023 Jun", "30", "6", "3512-3521",
     "10.5555/aso.2023.3512",
     "BACKGROUND: Whether the primary tumour should be resected when liver metastases of a small "
     "intestinal neuroendocrine tumour (SI-NET) cannot be removed is debated. METHODS: Patients "
     "with SI-NET and unresectable liver metastases treated 2004-2019 at three centres were "
     "identified; those who underwent primary tumour resection were matched 1:1 on propensity "
     "score to those who did not. RESULTS: Of 412 patients, 146 matched pairs were formed. "
     "Median overall survival was 98 months after resection and 81 months without it (hazard "
     "ratio 0.78, 95% CI 0.57-1.07). CONCLUSIONS: Primary tumour resection was not associated "
     "with a clear survival benefit after matching."),
    ("36544871",
     "Enucleation versus pancreatoduodenectomy for small non-functioning pancreatic "
     "neuroendocrine tumours: a multicentre retrospective analysis.",
     [("Moreau, Claire", "Moreau C"), ("Delacroix, Julien", "Delacroix J"),
      ("Benali, Samir", "Benali S"), ("Fontaine, Elodie", "Fontaine E")],
     "HPB : the official journal of the International Hepato Pancreato Biliary Association",
     "HPB (Oxford)", "2023 Feb", "25", "2", "201-210", "10.5555/hpb.2022.11.004",
     "BACKGROUND: Parenchyma-sparing enucleation is an alternative to pancreatoduodenectomy for "
     "small tumours of the pancreatic head. METHODS: Patients with non-functioning pancreatic "
     "neuroendocrine tumours of 3 cm or less resected in nine centres were compared by "
     "procedure. RESULTS: Enucleation (n = 118) had shorter operations and fewer major "
     "complications than pancreatoduodenectomy (n = 97), with more postoperative pancreatic "
     "fistulae and similar five-year recurrence-free survival. CONCLUSIONS: Enucleation is "
     "safe for selected small tumours away from the main duct."),
    ("35872209",
     "Liver transplantation for unresectable neuroendocrine liver metastases: long-term "
     "outcomes over two decades at a single centre.",
     [("Rossi, Francesca", "Rossi F"), ("Bianchi, Luca", "Bianchi L"),
      ("Conti, Marco", "Conti M"), ("Esposito, Giulia", "Esposito G")],
     "Transplantation", "Transplantation", "2022 Dec", "106", "12", "2380-2388",
     "10.5555/tp.2022.2380",
     "BACKGROUND: Liver transplantation is offered to selected patients with neuroendocrine "
     "liver metastases. METHODS: All transplants for this indication from 1998 to 2019 were "
     "reviewed. RESULTS: Sixty-one patients received a graft; five- and ten-year overall "
     "survival were 88% and 69%. Recurrence occurred in 23 patients. CONCLUSIONS: Strict "
     "selection yields durable survival after transplantation."),
    ("35120477",
     "Prophylactic cholecystectomy during abdominal surgery for neuroendocrine tumours in "
     "patients treated with somatostatin analogues.",
     [("Nakamura, Hiroshi", "Nakamura H"), ("Sato, Yuki", "Sato Y"),
      ("Tanaka, Kenji", "Tanaka K")],
     "World journal of surgery", "World J Surg", "2022 May", "46", "5", "1133-1140",
     "10.5555/wjs.2022.1133",
     "BACKGROUND: Somatostatin analogues cause gallstones. METHODS: Patients operated on for "
     "gastroenteropancreatic neuroendocrine tumours who later received somatostatin analogues "
     "were followed for biliary events. RESULTS: Among 203 patients without prophylactic "
     "cholecystectomy, 31 developed symptomatic gallstone disease. CONCLUSIONS: Prophylactic "
     "cholecystectomy may be considered when long-term analogue treatment is planned."),
    ("37455012",
     "Extent of mesenteric lymphadenectomy and recurrence-free survival after resection of "
     "small bowel neuroendocrine tumours.",
     [("Schmidt, Johanna", "Schmidt J"), ("Becker, Lukas", "Becker L"),
      ("Hoffmann, Sebastian", "Hoffmann S"), ("Wagner, Eva M", "Wagner EM")],
     "Surgery", "Surgery", "2023 Oct", "174", "4", "1021-9", "10.5555/surg.2023.06.018",
     "BACKGROUND: The number of mesenteric lymph nodes to remove with a small bowel "
     "neuroendocrine tumour is unknown. METHODS: Patients resected with curative intent were "
     "grouped by the number of nodes examined (fewer than 8 or 8 or more). RESULTS: In 287 "
     "patients, examining 8 or more nodes was associated with longer recurrence-free survival "
     "(hazard ratio 0.61). CONCLUSIONS: A systematic mesenteric lymphadenectomy is advised."),
    ("36102350",
     "Laparoscopic versus open distal pancreatectomy for pancreatic neuroendocrine neoplasms: "
     "short-term outcomes from a national registry.",
     [("Andersson, Erik", "Andersson E"), ("Nilsson, Maria", "Nilsson M"),
      ("Johansson, Karin L", "Johansson KL")],
     "The British journal of surgery", "Br J Surg", "2022 Nov", "109", "11", "1098-1105",
     "10.5555/bjs.znac.1098",
     "BACKGROUND: Minimally invasive distal pancreatectomy is increasingly used for pancreatic "
     "neuroendocrine neoplasms. METHODS: A national pancreatic surgery registry was searched "
     "for distal pancreatectomies for neuroendocrine neoplasms, 2012-2020. RESULTS: Of 534 "
     "operations, 311 were laparoscopic. Length of stay was shorter after laparoscopy; major "
     "morbidity did not differ. CONCLUSIONS: Laparoscopic distal pancreatectomy is safe."),
    ("37801133",
     "Cytoreductive surgery for neuroendocrine liver metastases: does the 70% debulking "
     "threshold matter?",
     [("O'Brien, Sean P", "O'Brien SP"), ("Patel, Nisha", "Patel N"),
      ("Kowalski, Adam J", "Kowalski AJ"), ("Huang, Wei", "Huang W")],
     "Journal of the American College of Surgeons", "J Am Coll Surg", "2023 Dec", "237", "6",
     "889-898", "10.5555/jacs.2023.889",
     "BACKGROUND: Debulking of neuroendocrine liver metastases is traditionally attempted only "
     "when 90% of the disease can be removed; a 70% threshold has been proposed. METHODS: "
     "Patients undergoing hepatic cytoreduction were grouped by the proportion of disease "
     "removed. RESULTS: Among 176 patients, survival after 70-89% cytoreduction was similar to "
     "that after 90% or more. CONCLUSIONS: A 70% threshold widens eligibility for surgery."),
    ("36330718",
     "Active surveillance versus resection for sporadic non-functioning pancreatic "
     "neuroendocrine tumours of 2 cm or less: a prospective cohort.",
     [("Ferrari, Alessandro", "Ferrari A"), ("Gallo, Chiara", "Gallo C"),
      ("Romano, Davide", "Romano D")],
     "Annals of surgery", "Ann Surg", "2023 Jan", "277", "1", "e104-e112",
     "10.5555/sla.2023.e104",
     "OBJECTIVE: To compare active surveillance with resection for small sporadic "
     "non-functioning pancreatic neuroendocrine tumours. METHODS: Prospective cohort of "
     "patients with tumours of 2 cm or less. RESULTS: Of 281 patients, 212 were observed; "
     "none developed distant metastases in a median follow-up of 48 months. CONCLUSIONS: "
     "Surveillance is a safe first approach."),
    ("35594420",
     "Appendiceal neuroendocrine tumours of 1 to 2 cm: right hemicolectomy or appendicectomy "
     "alone?",
     [("Murphy, Ciara", "Murphy C"), ("Walsh, Declan", "Walsh D"),
      ("Byrne, Aoife M", "Byrne AM")],
     "Annals of surgery", "Ann Surg", "2022 Jun", "275", "6", "1102-1110",
     "10.5555/sla.2022.1102",
     "OBJECTIVE: To assess the need for right hemicolectomy after appendicectomy for "
     "neuroendocrine tumours of 1 to 2 cm. METHODS: Multicentre retrospective cohort. RESULTS: "
     "Lymph node metastases were found in 11 of 96 hemicolectomy specimens; no recurrence was "
     "seen after appendicectomy alone. CONCLUSIONS: Hemicolectomy rarely changes outcome."),
    ("37019866",
     "Endoscopic submucosal dissection versus transanal minimally invasive surgery for rectal "
     "neuroendocrine tumours smaller than 20 mm.",
     [("Kim, Ji-Hoon", "Kim JH"), ("Park, Seo-Yeon", "Park SY"), ("Lee, Min-Jae", "Lee MJ")],
     "Surgical endoscopy", "Surg Endosc", "2023 Apr", "37", "4", "2711-2719",
     "10.5555/se.2023.2711",
     "BACKGROUND: Small rectal neuroendocrine tumours are removed endoscopically or by "
     "transanal surgery. METHODS: Patients treated by either technique were compared. "
     "RESULTS: Complete resection rates were 93% after dissection and 98% after transanal "
     "surgery. CONCLUSIONS: Both techniques are effective."),
    ("37660291",
     "Neoadjuvant peptide receptor radionuclide therapy before resection of borderline "
     "resectable pancreatic neuroendocrine tumours.",
     [("van der Berg, Pieter", "van der Berg P"), ("de Vries, Marloes", "de Vries M"),
      ("Jansen, Thijs", "Jansen T")],
     "European journal of nuclear medicine and molecular imaging", "Eur J Nucl Med Mol Imaging",
     "2023 Nov", "50", "13", "3980-3989", "10.5555/ejnmmi.2023.3980",
     "PURPOSE: To report resection after neoadjuvant PRRT for borderline resectable pancreatic "
     "neuroendocrine tumours. METHODS: Patients given 177Lu-DOTATATE before planned surgery "
     "were reviewed. RESULTS: Of 49 patients, 31 underwent resection, with R0 resection in 25. "
     "CONCLUSIONS: Neoadjuvant PRRT can make borderline tumours resectable."),
    ("36789455",
     "Mesenteric fibrosis and postoperative complications in small intestinal neuroendocrine "
     "tumours: a retrospective cohort.",
     [("Garcia, Lucia", "Garcia L"), ("Martinez, Pablo", "Martinez P"),
      ("Fernandez, Ana I", "Fernandez AI")],
     "European journal of surgical oncology", "Eur J Surg Oncol", "2023 Mar", "49", "3",
     "601-608", "10.5555/ejso.2023.601",
     "BACKGROUND: Mesenteric fibrosis around nodal metastases complicates surgery for small "
     "intestinal neuroendocrine tumours. METHODS: Operative records were graded for fibrosis. "
     "RESULTS: Severe fibrosis (n = 58 of 240) was associated with longer operations and more "
     "bowel resected. CONCLUSIONS: Fibrosis should be anticipated on imaging."),
    ("35988102",
     "Type 1 gastric neuroendocrine tumours: long-term outcomes of endoscopic surveillance "
     "versus antrectomy.",
     [("Kowalczyk, Piotr", "Kowalczyk P"), ("Nowak, Anna", "Nowak A"),
      ("Zielinski, Tomasz", "Zielinski T")],
     "Endoscopy", "Endoscopy", "2022 Sep", "54", "9", "870-877", "10.5555/endo.2022.870",
     "BACKGROUND: Type 1 gastric neuroendocrine tumours are usually indolent. METHODS: "
     "Patients followed endoscopically were compared with those who underwent antrectomy. "
     "RESULTS: No disease-related deaths occurred in 164 patients over a median of 9 years. "
     "CONCLUSIONS: Surveillance is appropriate for most patients."),
    ("37122908",
     "Resection of the primary tumour in stage IV pancreatic neuroendocrine tumours: an "
     "analysis of the National Cancer Database.",
     [("Thompson, Rachel A", "Thompson RA"), ("Nguyen, Linh", "Nguyen L"),
      ("Brooks, Daniel K", "Brooks DK")],
     "JAMA surgery", "JAMA Surg", "2023 May", "158", "5", "512-520",
     "10.5555/jamasurg.2023.0412",
     "IMPORTANCE: The role of primary tumour resection in metastatic pancreatic neuroendocrine "
     "tumours is uncertain. OBJECTIVE: To compare survival with and without resection of the "
     "primary tumour. RESULTS: Of 4822 patients, 1094 underwent resection; after adjustment, "
     "resection was associated with longer survival (hazard ratio 0.52). CONCLUSIONS AND "
     "RELEVANCE: Selected patients may benefit from resection."),
]


def medline_field(tag: str, value: str) -> list[str]:
    """A MEDLINE tag line (tag left-justified in four columns), wrapped with six-space
    continuation lines as PubMed does."""
    head = f"{tag:<4}- "
    pieces = textwrap.wrap(value, width=80 - 6, break_long_words=False, break_on_hyphens=False)
    return [head + pieces[0]] + ["      " + p for p in pieces[1:]]


def medline_record(i: int, r) -> list[str]:
    pmid, title, authors, jt, ta, dp, vi, ip, pg, doi, ab = r
    year = dp[:4]
    out = [f"PMID- {pmid}", "OWN - NLM", "STAT- MEDLINE", f"DCOM- {year}0{(i % 9) + 1}1{i % 10}",
           f"LR  - {year}1{(i % 3)}0{(i % 9) + 1}", f"IS  - {issn(ta)} (Electronic)",
           f"IS  - {issn(jt)} (Linking)", f"VI  - {vi}", f"IP  - {ip}", f"DP  - {dp}"]
    out += medline_field("TI", title)
    out += [f"PG  - {pg}", f"LID - {doi} [doi]"]
    out += medline_field("AB", ab)
    for k, (full, short) in enumerate(authors):
        out += [f"FAU - {full}", f"AU  - {short}"]
        if k == 0:
            out += medline_field("AD", "Department of Surgery, University Hospital, "
                                 f"{['Uppsala', 'Lyon', 'Milan', 'Osaka', 'Munich'][i % 5]}.")
    out += ["LA  - eng", "PT  - Journal Article", f"DEP - {year}0{(i % 9) + 1}0{(i % 9) + 1}",
            "PL  - United States", f"TA  - {ta}"]
    out += medline_field("JT", jt)
    out += ["JID - 0000000", "SB  - IM", "MH  - Humans",
            "MH  - *Neuroendocrine Tumors/surgery", "OTO - NOTNLM", "OT  - neuroendocrine tumour",
            "OT  - surgery", f"EDAT- {year}/01/1{i % 10} 06:00", f"AID - {doi} [doi]",
            f"AID - S0000-0000({year[2:]})0{i:04d}-X [pii]", "PST - ppublish"]
    out += medline_field("SO", f"{ta}. {dp};{vi}({ip}):{pg}. doi: {doi}.")
    return out


def write_pubmed():
    lines = [""]  # a PubMed download starts with a blank line
    for i, r in enumerate(PUBMED):
        lines += medline_record(i, r)
        lines.append("")
    text = "\n".join(lines)
    (HERE / "pubmed.nbib").write_text(text, encoding="utf-8", newline="\n")
    return text


# Embase.com RIS records: a list of (tag, value) per record, written in Embase's order.
def embase(m3, year, title, authors, jf, ja, vl, iss, sp, ep, abstract, l_number, doi=None,
           doi_link=None, pmid=None, extra_db=()):
    r = [("TY", "JOUR"), ("M3", m3), ("Y1", year), ("T1", title)]
    r += [("A1", a) for a in authors]
    r += [("M1", f"({authors[0]}) Department of Surgery, University Hospital")]
    r += [("JF", jf), ("JA", ja), ("SN", f"{issn(ja)} (electronic)"), ("SN", issn(jf))]
    if vl:
        r.append(("VL", vl))
    if iss:
        r.append(("IS", iss))
    r.append(("SP", sp))
    if ep:
        r.append(("EP", ep))
    r += [("N2", abstract)]
    if doi:
        r.append(("DO", doi))
    r += [("U2", l_number), ("KW", "neuroendocrine tumor"), ("KW", "surgery"),
          ("KW", "human")]
    if pmid:
        r.append(("C5", pmid))
    r.append(("L2", f"https://www.embase.com/search/results?subaction=viewrecord&id={l_number}"
                    "&from=export"))
    if doi_link:
        r.append(("L2", doi_link))
    r.append(("DB", "Embase"))
    if pmid:
        r.append(("DB", "Medline"))
    r += list(extra_db)
    r += [("LA", "English")]
    return r


def pub(i):
    return PUBMED[i]


EMBASE = [
    # 1. = PubMed 36981204: dash instead of colon, "A" capitalised, Embase author forms, C5 PMID.
    embase("Article", "2023",
           "Primary tumour resection in small intestinal neuroendocrine tumours with unresectable "
           "liver metastases - A propensity score-matched cohort study",
           ["Lindqvist A.K.", "Berger T.", "Haugen I.M.", "Okafor C.E.", "Wallin G."],
           "Annals of Surgical Oncology", "Ann. Surg. Oncol.", "30", "6", "3512", "3521",
           pub(0)[10], "L2022934571", doi="10.5555/aso.2023.3512",
           doi_link="http://dx.doi.org/10.5555/aso.2023.3512", pmid="36981204"),
    # 2. = PubMed 36544871: Title Case, accent dropped, no PMID yet (Embase only), DOI only as a
    #    link in L2.
    embase("Article", "2023",
           "Enucleation Versus Pancreatoduodenectomy for Small Non-Functioning Pancreatic "
           "Neuroendocrine Tumours: A Multicentre Retrospective Analysis",
           ["Moreau C.", "Delacroix J.", "Benali S.", "Fontaine E."],
           "HPB", "HPB", "25", "2", "201", "210", pub(1)[10], "L2021876543",
           doi_link="http://dx.doi.org/10.5555/hpb.2022.11.004"),
    # 3. = PubMed 37455012: American spelling and a hyphen, pages written out (MEDLINE elides
    #    them to 1021-9), DOI with a "DOI:" prefix, C5 PMID.
    embase("Article", "2023",
           "Extent of mesenteric lymphadenectomy and recurrence-free survival after resection of "
           "small-bowel neuroendocrine tumors",
           ["Schmidt J.", "Becker L.", "Hoffmann S.", "Wagner E.M."],
           "Surgery (United States)", "Surgery", "174", "4", "1021", "1029", pub(4)[10],
           "L2024417702", doi="DOI: 10.5555/surg.2023.06.018", pmid="37455012"),
    # 4. = PubMed 37801133: no PMID and no DOI at all (label: the L accession), "70 %" and a
    #    capital after the colon.
    embase("Article", "2023",
           "Cytoreductive surgery for neuroendocrine liver metastases: Does the 70 % debulking "
           "threshold matter?",
           ["O'Brien S.P.", "Patel N.", "Kowalski A.J.", "Huang W."],
           "Journal of the American College of Surgeons", "J. Am. Coll. Surg.", "237", "6", "889",
           "898", pub(6)[10], "L2026543210"),
    # 5. = PubMed 37660291: no PMID (Embase only), plain DOI in DO and as a link.
    embase("Article", "2023",
           "Neoadjuvant peptide receptor radionuclide therapy before resection of borderline "
           "resectable pancreatic neuroendocrine tumours",
           ["van der Berg P.", "de Vries M.", "Jansen T."],
           "European Journal of Nuclear Medicine and Molecular Imaging",
           "Eur. J. Nucl. Med. Mol. Imaging", "50", "13", "3980", "3989", pub(10)[10],
           "L2025110983", doi="10.5555/ejnmmi.2023.3980",
           doi_link="http://dx.doi.org/10.5555/ejnmmi.2023.3980"),
    # 6. NOT a duplicate: the erratum of PubMed 35594420, same authors and journal, the
    #    article's title and DOI inside its own title; no PMID, no DOI of its own.
    embase("Erratum", "2022",
           "Erratum: Appendiceal neuroendocrine tumours of 1 to 2 cm: Right hemicolectomy or "
           "appendicectomy alone? (Annals of Surgery (2022) 275:6 (1102-1110) DOI: "
           "10.5555/sla.2022.1102)",
           ["Murphy C.", "Walsh D.", "Byrne A.M."],
           "Annals of Surgery", "Ann. Surg.", "276", "2", "398", None,
           "In the article, the number of lymph node metastases in Table 2 was given "
           "incorrectly. The correct number is 11 of 96.", "L2019876001"),
    # 7-12. Embase-only records.
    embase("Conference Abstract", "2023",
           "Robotic enucleation of insulinomas: early experience in 24 patients",
           ["Chen L.", "Wang Y.", "Liu H."], "Pancreatology", "Pancreatology", "23", "4 Supplement",
           "S45", None,
           "Introduction: Robotic surgery may ease enucleation of small insulinomas. Methods: "
           "Consecutive robotic enucleations were reviewed. Results: No conversion was needed; "
           "the fistula rate was 21%. Conclusion: Robotic enucleation is feasible.",
           "L641234567"),
    embase("Article", "2022",
           "Surgical management of duodenal neuroendocrine tumours: local excision versus "
           "pancreatoduodenectomy",
           ["Silva R.", "Costa M.", "Pereira J."], "Langenbeck's Archives of Surgery",
           "Langenbeck's Arch. Surg.", "407", "7", "2891", "2899",
           "Purpose: To compare local excision with pancreatoduodenectomy for duodenal "
           "neuroendocrine tumours. Methods: Retrospective two-centre cohort. Results: Local "
           "excision (n = 38) had fewer complications and similar recurrence to "
           "pancreatoduodenectomy (n = 22). Conclusion: Local excision suffices for small "
           "tumours.", "L2019334455", doi="10.5555/las.2022.2891", pmid="35870011"),
    embase("Conference Abstract", "2022",
           "Impact of the Ki-67 index on recurrence after curative resection of pancreatic "
           "neuroendocrine tumours",
           ["Dubois M.", "Laurent P."], "Neuroendocrinology", "Neuroendocrinology", "112",
           "SUPPL 1", "210", None,
           "Background: Ki-67 predicts recurrence after resection. Methods: 312 resected "
           "tumours were analysed. Results: Each 1% increase in Ki-67 raised the hazard of "
           "recurrence by 6%. Conclusion: Ki-67 should guide follow-up.", "L638112233"),
    embase("Article", "2023",
           "Quality of life after hepatectomy for neuroendocrine liver metastases: a "
           "cross-sectional survey",
           ["Hansen L.B.", "Olsen K.", "Christensen M."], "Scandinavian Journal of Surgery",
           "Scand. J. Surg.", "112", "2", "85", "93",
           "Background: Little is known about quality of life after liver surgery for "
           "neuroendocrine metastases. Methods: Survivors completed the EORTC QLQ-C30 and "
           "GI.NET21 questionnaires. Results: Global health status was comparable to population "
           "norms. Conclusion: Hepatectomy is compatible with good quality of life.",
           "L2023019876", doi="10.5555/sjs.2023.85"),
    embase("Article", "2023",
           "Small bowel neuroendocrine tumours presenting as emergencies: outcomes of urgent "
           "versus elective resection",
           ["Ahmed S.", "Khan R.", "Ali F."], "International Journal of Surgery",
           "Int. J. Surg.", "109", "5", "1250", "1257",
           "Background: One in five small bowel neuroendocrine tumours presents with obstruction "
           "or bleeding. Methods: Urgent and elective resections were compared. Results: Urgent "
           "resection carried more complications but similar long-term survival. Conclusion: "
           "Emergency presentation does not preclude a good outcome.", "L2023556677",
           doi="10.5555/ijs.2023.1250", pmid="36799012"),
    embase("Conference Abstract", "2023",
           "Long-term symptom control after surgical debulking for carcinoid syndrome",
           ["Fischer K.", "Braun T."], "Journal of Neuroendocrinology", "J. Neuroendocrinol.",
           "35", "SUPPL 1", "88", None,
           "Background: Debulking may relieve carcinoid syndrome. Methods: Patients with "
           "refractory symptoms underwent cytoreduction. Results: Flushing and diarrhoea "
           "improved in 27 of 33 patients for a median of 31 months. Conclusion: Debulking "
           "offers durable palliation.", "L2024778899"),
]


def write_embase():
    lines = []
    for r in EMBASE:
        lines += [f"{tag}  - {value}" for tag, value in r]
        lines.append("ER  - ")
        lines.append("")
    text = "\r\n".join(lines)
    (HERE / "embase.ris").write_bytes(text.encode("utf-8"))
    return text


# Citation searching: (title, [authors "Last, First"], journal, abbreviation, year, volume, issue,
# first page, last page, doi, abstract). The first two are articles the databases also found;
# the last is the third again as a second reference list gives it.
CITATIONS = [
    # = PubMed 37122908 (included on title and abstract).
    (pub(13)[1], ["Thompson, Rachel A.", "Nguyen, Linh", "Brooks, Daniel K."], pub(13)[3],
     pub(13)[4], "2023", "158", "5", "512", "520", pub(13)[9], pub(13)[10]),
    # = Embase L2023019876 (excluded on title and abstract), which has no PMID.
    ("Quality of life after hepatectomy for neuroendocrine liver metastases: a cross-sectional "
     "survey", ["Hansen, Lars B.", "Olsen, Karen", "Christensen, Mette"],
     "Scandinavian Journal of Surgery", "Scand J Surg", "2023", "112", "2", "85", "93",
     "10.5555/sjs.2023.85", dict(EMBASE[9])["N2"]),
    ("Primary tumour resection and survival in pancreatic neuroendocrine tumours with "
     "synchronous liver metastases: a two-centre cohort",
     ["Lindgren, Sofia", "Ekholm, Johan", "Virtanen, Mikko"], "Pancreatology", "Pancreatology",
     "2021", "21", "7", "1302", "1310", "10.5555/pan.2021.1302",
     "Background: Resection of the primary tumour in pancreatic neuroendocrine tumours with "
     "synchronous liver metastases is debated. Methods: Patients from two centres with and "
     "without primary tumour resection were compared. Results: Of 118 patients, 52 had the "
     "primary resected; survival was longer after resection (hazard ratio 0.58). Conclusions: "
     "Resection may benefit selected patients."),
    ("Outcomes of small bowel neuroendocrine tumour surgery in patients aged 80 years or older",
     ["Keller, Thomas", "Vogel, Anja"], "Digestive surgery", "Dig Surg", "2022", "39", "3", "140",
     "147", "10.5555/dsu.2022.140",
     "Background: Elderly patients with small bowel neuroendocrine tumours are often not "
     "offered surgery. Methods: Octogenarians operated on at one centre were reviewed. Results: "
     "Thirty-day mortality was 4% in 47 patients. Conclusions: Age alone should not preclude "
     "resection."),
    ("Debulking surgery for neuroendocrine liver metastases: a national survey of practice",
     ["Morgan, Eleanor", "Price, Owen"], "HPB", "HPB", "2021", "23", "S2", "S410", None,
     "10.5555/hpb.2021.s410",
     "Background: Practice of debulking surgery varies. Methods: Hepatobiliary surgeons were "
     "surveyed. Results: 61 of 88 surgeons would debulk when 70% of disease can be removed. "
     "Conclusions: Thresholds vary widely."),
    ("Hepatic artery embolisation versus resection of the primary tumour in metastatic small "
     "intestinal neuroendocrine tumours",
     ["Duarte, Ines", "Sousa, Pedro", "Almeida, Rita"], "Cardiovascular and interventional "
     "radiology", "Cardiovasc Intervent Radiol", "2022", "45", "8", "1120", "1128",
     "10.5555/cvir.2022.1120",
     "Purpose: To compare hepatic artery embolisation with primary tumour resection. Methods: "
     "Retrospective cohort. Results: Among 96 patients, survival was similar (hazard ratio "
     "0.93). Conclusion: Embolisation is an alternative when resection is not possible."),
    # The third again, from another reference list: title case, no abstract, initials only.
    ("Primary Tumour Resection and Survival in Pancreatic Neuroendocrine Tumours With "
     "Synchronous Liver Metastases: A Two-Centre Cohort",
     ["Lindgren, S.", "Ekholm, J.", "Virtanen, M."], "Pancreatology", "Pancreatology", "2021",
     "21", "7", "1302", "1310", "10.5555/pan.2021.1302", None),
]


def write_citations():
    lines = []
    for (title, authors, journal, abbr, year, vl, iss, sp, ep, doi, abstract) in CITATIONS:
        lines += ["TY  - JOUR", f"TI  - {title}"] + [f"AU  - {a}" for a in authors]
        lines += [f"T2  - {journal}"]
        if abstract:
            lines.append(f"AB  - {abstract}")
        lines += [f"DA  - {year}", f"PY  - {year}", f"DO  - {doi}", f"VL  - {vl}", f"IS  - {iss}",
                  f"SP  - {sp}"]
        if ep:
            lines.append(f"EP  - {ep}")
        lines += [f"J2  - {abbr}", "ER  - ", ""]
    (HERE / "citations.ris").write_text("\n".join(lines), encoding="utf-8", newline="\n")


def write_broken(pubmed: str, ris: str):
    # A download cut off inside a tag name: the last line is "FA" (of "FAU - ...").
    lines = pubmed.split("\n")
    cut = max(i for i, line in enumerate(lines) if line.startswith("FAU - "))
    truncated = "\n".join(lines[:cut]) + "\nFA"
    (HERE / "pubmed_truncated.nbib").write_text(truncated, encoding="utf-8", newline="\n")
    # The fourth record's TI tag lost the space after its dash ("TI  -Prophylactic ...").
    starts = [i for i, line in enumerate(lines) if line.startswith("PMID- ")]
    ti = next(i for i in range(starts[3], len(lines)) if lines[i].startswith("TI  - "))
    corrupt = list(lines)
    corrupt[ti] = "TI  -" + corrupt[ti][6:]
    (HERE / "pubmed_corrupt.nbib").write_text("\n".join(corrupt), encoding="utf-8",
                                              newline="\n")
    # RIS without the final "ER  - " (the file ends after the last record's N2 line).
    rl = ris.split("\r\n")
    last_n2 = max(i for i, line in enumerate(rl) if line.startswith("N2  - "))
    (HERE / "embase_truncated.ris").write_bytes("\r\n".join(rl[:last_n2 + 1]).encode("utf-8"))
    # The seventh record's TY line loses a space: its tags are outside any record.
    ty = [i for i, line in enumerate(rl) if line.startswith("TY  - ")]
    bad = list(rl)
    bad[ty[6]] = "TY - JOUR"
    (HERE / "embase_corrupt.ris").write_bytes("\r\n".join(bad).encode("utf-8"))


if __name__ == "__main__":
    p = write_pubmed()
    e = write_embase()
    write_broken(p, e)
    write_citations()
