// The report's Methods section, generated from the plan, and its numbered references.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "context.hpp"
#include "srma/report/format.hpp"
#include "srma/util/version.hpp"

namespace srma::detail {
namespace {

const std::map<std::string, std::string>& reference_texts() {
  static const std::map<std::string, std::string> refs = {
      {"dl",
       "DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials. "
       "1986;7:177-188."},
      {"reml",
       "Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the "
       "random-effects model. J Educ Behav Stat. 2005;30:261-293."},
      {"ml",
       "Hardy RJ, Thompson SG. A likelihood approach to meta-analysis with random effects. "
       "Stat Med. 1996;15:619-629."},
      {"pm",
       "Paule RC, Mandel J. Consensus values and weighting factors. J Res Natl Bur Stand. "
       "1982;87:377-385."},
      {"hs",
       "Hunter JE, Schmidt FL. Methods of meta-analysis: correcting error and bias in "
       "research findings. 2nd ed. Sage; 2004."},
      {"sj",
       "Sidik K, Jonkman JN. Simple heterogeneity variance estimation for meta-analysis. "
       "J R Stat Soc C. 2005;54:367-384."},
      {"he", "Hedges LV. A random effects model for effect sizes. Psychol Bull. 1983;93:388-395."},
      {"eb",
       "Morris CN. Parametric empirical Bayes inference: theory and applications. J Am Stat "
       "Assoc. 1983;78:47-55."},
      {"mh",
       "Mantel N, Haenszel W. Statistical aspects of the analysis of data from retrospective "
       "studies of disease. J Natl Cancer Inst. 1959;22:719-748."},
      {"rbg",
       "Robins J, Breslow N, Greenland S. Estimators of the Mantel-Haenszel variance "
       "consistent in both sparse data and large-strata limiting models. Biometrics. "
       "1986;42:311-323."},
      {"greenland1985",
       "Greenland S, Robins JM. Estimation of a common effect parameter from sparse follow-up "
       "data. Biometrics. 1985;41:55-68."},
      {"hksj",
       "Hartung J, Knapp G. A refined method for the meta-analysis of controlled clinical "
       "trials with binary outcome. Stat Med. 2001;20:3875-3889."},
      {"knapp2003",
       "Knapp G, Hartung J. Improved tests for a random effects meta-regression with a single "
       "covariate. Stat Med. 2003;22:2693-2710."},
      {"sidik2002",
       "Sidik K, Jonkman JN. A simple confidence interval for meta-analysis. Stat "
       "Med. 2002;21:3153-3159."},
      {"i2",
       "Higgins JPT, Thompson SG. Quantifying heterogeneity in a meta-analysis. Stat Med. "
       "2002;21:1539-1558."},
      {"qprofile",
       "Viechtbauer W. Confidence intervals for the amount of heterogeneity in "
       "meta-analysis. Stat Med. 2007;26:37-52."},
      {"pi",
       "IntHout J, Ioannidis JPA, Rovers MM, Goeman JJ. Plea for routinely presenting "
       "prediction intervals in meta-analysis. BMJ Open. 2016;6:e010247."},
      {"riley",
       "Riley RD, Higgins JPT, Deeks JJ. Interpretation of random effects meta-analyses. "
       "BMJ. 2011;342:d549."},
      {"subgroup",
       "Borenstein M, Hedges LV, Higgins JPT, Rothstein HR. Introduction to "
       "meta-analysis. Wiley; 2009. Chapter 19."},
      {"influence",
       "Viechtbauer W, Cheung MWL. Outlier and influence diagnostics for "
       "meta-analysis. Res Synth Methods. 2010;1:112-125."},
      {"baujat",
       "Baujat B, Mahe C, Pignon JP, Hill C. A graphical method for exploring "
       "heterogeneity in meta-analyses. Stat Med. 2002;21:2641-2652."},
      {"egger",
       "Egger M, Davey Smith G, Schneider M, Minder C. Bias in meta-analysis detected by "
       "a simple, graphical test. BMJ. 1997;315:629-634."},
      {"begg",
       "Begg CB, Mazumdar M. Operating characteristics of a rank correlation test for "
       "publication bias. Biometrics. 1994;50:1088-1101."},
      {"peters",
       "Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L. Comparison of two methods "
       "to detect publication bias in meta-analysis. JAMA. 2006;295:676-680."},
      {"contour",
       "Peters JL, Sutton AJ, Jones DR, Abrams KR, Rushton L. Contour-enhanced "
       "meta-analysis funnel plots help distinguish publication bias from other causes "
       "of asymmetry. J Clin Epidemiol. 2008;61:991-996."},
      {"trimfill",
       "Duval S, Tweedie R. Trim and fill: a simple funnel-plot-based method of "
       "testing and adjusting for publication bias in meta-analysis. Biometrics. "
       "2000;56:455-463."},
      {"rosenthal",
       "Rosenthal R. The file drawer problem and tolerance for null results. "
       "Psychol Bull. 1979;86:638-641."},
      {"orwin",
       "Orwin RG. A fail-safe N for effect size in meta-analysis. J Educ Stat. "
       "1983;8:157-159."},
      {"rosenberg",
       "Rosenberg MS. The file-drawer problem revisited: a general weighted method "
       "for calculating fail-safe numbers in meta-analysis. Evolution. "
       "2005;59:464-468."},
      {"metareg",
       "Thompson SG, Higgins JPT. How should meta-regression analyses be undertaken "
       "and interpreted? Stat Med. 2002;21:1559-1573."},
      {"gosh",
       "Olkin I, Dahabreh IJ, Trikalinos TA. GOSH - a graphical display of study "
       "heterogeneity. Res Synth Methods. 2012;3:214-223."},
      {"permtest",
       "Higgins JPT, Thompson SG. Controlling the risk of spurious findings from "
       "meta-regression. Stat Med. 2004;23:1663-1682."},
      {"metafor",
       "Viechtbauer W. Conducting meta-analyses in R with the metafor package. J Stat "
       "Softw. 2010;36(3):1-48."},
      {"prisma",
       "Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an updated "
       "guideline for reporting systematic reviews. BMJ. 2021;372:n71."},
      {"nos",
       "Wells GA, Shea B, O'Connell D, et al. The Newcastle-Ottawa Scale (NOS) for "
       "assessing the quality of nonrandomised studies in meta-analyses. Ottawa Hospital "
       "Research Institute."},
      {"peto",
       "Yusuf S, Peto R, Lewis J, Collins R, Sleight P. Beta blockade during and after "
       "myocardial infarction: an overview of the randomized trials. Prog Cardiovasc Dis. "
       "1985;27:335-371."},
      {"tierney",
       "Tierney JF, Stewart LA, Ghersi D, Burdett S, Sydes MR. Practical methods for "
       "incorporating summary time-to-event data into meta-analysis. Trials. "
       "2007;8:16."},
      {"parmar",
       "Parmar MKB, Torri V, Stewart L. Extracting summary statistics to perform meta-analyses "
       "of the published literature for survival endpoints. Stat Med. 1998;17:2815-2834."},
      {"guyot",
       "Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of survival data: "
       "reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res "
       "Methodol. 2012;12:9."},
      {"hedges",
       "Hedges LV. Distribution theory for Glass's estimator of effect size and related "
       "estimators. J Educ Stat. 1981;6:107-128."},
      {"seed",
       "Xiao Y, Wang J, Zhao Z, Wen L, Li J, Liu J. Resection of the primary tumor with or "
       "without liver resection reduces the risk of death in patients with liver "
       "metastatic gastroenteropancreatic neuroendocrine tumors: a systematic review and "
       "meta-analysis. Front Oncol. 2025. doi:10.3389/fonc.2025.1693647."},
  };
  return refs;
}

std::string estimator_key(tau2_method m) {
  switch (m) {
    case tau2_method::dl:
      return "dl";
    case tau2_method::reml:
      return "reml";
    case tau2_method::ml:
      return "ml";
    case tau2_method::pm:
      return "pm";
    case tau2_method::hs:
      return "hs";
    case tau2_method::sj:
      return "sj";
    case tau2_method::he:
      return "he";
    case tau2_method::eb:
      return "eb";
  }
  return "reml";
}

std::string estimator_name(tau2_method m) {
  switch (m) {
    case tau2_method::dl:
      return "the DerSimonian-Laird method";
    case tau2_method::reml:
      return "restricted maximum likelihood (REML)";
    case tau2_method::ml:
      return "maximum likelihood";
    case tau2_method::pm:
      return "the Paule-Mandel method";
    case tau2_method::hs:
      return "the Hunter-Schmidt method";
    case tau2_method::sj:
      return "the Sidik-Jonkman method";
    case tau2_method::he:
      return "the Hedges (variance component) method";
    case tau2_method::eb:
      return "the empirical Bayes method";
  }
  return "";
}

// What a study's ln HR was obtained from, by route (hr_method names,
// srma/data/hr_from_summary.hpp).
std::string hr_route_phrase(std::string_view source) {
  static const std::map<std::string_view, std::string_view> phrases = {
      {"ci", "the hazard ratio and its confidence interval"},
      {"loghr_se", "the reported log hazard ratio and its standard error"},
      {"oe_v", "the log-rank observed minus expected events (O - E) and their variance (V)"},
      {"observed_expected", "the observed and expected events in each arm"},
      {"logrank_chisq", "the log-rank chi-square and the direction of the effect"},
      {"p_value", "the hazard ratio and its two-sided p-value"},
      {"p_events", "the p-value, the total number of events and the numbers randomised"},
      {"p_arm_events", "the p-value and the number of events in each arm"},
      {"ipd", "a Cox model fitted to individual patient data"},
  };
  auto it = phrases.find(source);
  return it == phrases.end() ? std::string(source) : std::string(it->second);
}

std::string and_list(const std::vector<std::string>& items) {
  if (items.size() <= 1) return items.empty() ? std::string() : items[0];
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return fmt::format("{} and {}", fmt::join(head, ", "), items.back());
}

// "Log hazard ratios ... were obtained from the hazard ratio and its confidence interval for A
// and B; from ... for C." when the studies of the main data file came by different routes (or
// by a route other than the older single column sets), citing Parmar 1998 and Tierney 2007, and
// Guyot 2012 for curves reconstructed into patient data.
std::string hr_routes_text(run_context& ctx) {
  auto md = ctx.load(ctx.p.data_file);
  if (!md || !(*md)->studies) return {};
  const study_table& t = *(*md)->studies;
  if (t.hr_source.empty() || t.kind != input_kind::hr_summaries) return {};
  std::vector<std::string> order;  // routes in order of first appearance
  std::map<std::string, std::vector<std::string>> studies;
  for (std::size_t i = 0; i < t.k(); ++i) {
    if (!studies.count(t.hr_source[i])) order.push_back(t.hr_source[i]);
    studies[t.hr_source[i]].push_back(t.study[i]);
  }
  const std::string c = ctx.refs.cite({"parmar", "tierney"});
  std::vector<std::string> parts;
  for (const auto& route : order) {
    std::string what = route == "km_reconstruction"
                           ? "patient data reconstructed from the published Kaplan-Meier curves " +
                                 ctx.refs.cite("guyot") + " and fitted with a Cox model"
                           : hr_route_phrase(route);
    parts.push_back(fmt::format("from {} for {}", what, and_list(studies[route])));
  }
  return fmt::format(
      " Each study's log hazard ratio and its variance were obtained from what the study "
      "reported {}: {}.",
      c, fmt::join(parts, "; "));
}

}  // namespace

std::string references::cite(const std::string& key) {
  auto it = std::find(keys_.begin(), keys_.end(), key);
  if (it == keys_.end()) {
    keys_.push_back(key);
    return fmt::format("[{}]", keys_.size());
  }
  return fmt::format("[{}]", it - keys_.begin() + 1);
}

std::string references::cite(std::initializer_list<std::string> keys) {
  std::vector<std::string> nums;
  for (const auto& k : keys) {
    const auto c = cite(k);
    nums.push_back(c.substr(1, c.size() - 2));
  }
  return "[" + fmt::format("{}", fmt::join(nums, ", ")) + "]";
}

std::vector<std::string> references::list() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const auto& texts = reference_texts();
    auto it = texts.find(keys_[i]);
    out.push_back(fmt::format("[{}] {}", i + 1, it == texts.end() ? keys_[i] : it->second));
  }
  return out;
}

// The zero-cell rule of a 2x2 analysis in words (docs/methods.md, "Zero cells").
std::string zero_cell_text(const zero_cell_rule& z, pooling_method method,
                           count_convention counts) {
  std::string out = "Study effects were computed from the 2x2 tables";
  switch (z.to) {
    case zero_cell_to::only0:
      out += fmt::format(", adding {:g} to every cell of tables with a zero cell", z.add);
      break;
    case zero_cell_to::all:
      out += fmt::format(", adding {:g} to every cell of every table", z.add);
      break;
    case zero_cell_to::if0all:
      out += fmt::format(
          ", adding {:g} to every cell of every table as some table had a zero "
          "cell",
          z.add);
      break;
    case zero_cell_to::none:
      out += " without a continuity correction";
      break;
  }
  switch (z.double_zero) {
    case double_zero_policy::keep:
      out += "; tables without events in either arm were kept";
      break;
    case double_zero_policy::drop:
      out += "; tables without events in either arm were left out";
      break;
    case double_zero_policy::ratios:
      out +=
          "; tables without events in either arm were left out for ratio measures, which "
          "they carry no information on";
      break;
  }
  out += ".";
  if (method == pooling_method::mantel_haenszel) {
    out += counts == count_convention::revman5
               ? " The Mantel-Haenszel sums used the tables with 0.5 added to every cell of "
                 "tables with a zero cell, and heterogeneity (Q, I\u00b2 and the "
                 "DerSimonian-Laird \u03c4\u00b2) was measured about the Mantel-Haenszel "
                 "estimate, as RevMan 5 does."
               : " The Mantel-Haenszel sums used the tables as reported, without correction.";
  }
  return out;
}

doc_section methods_section(run_context& ctx, effect_measure measure,
                            std::optional<input_kind> kind) {
  const plan& p = ctx.p;
  auto& refs = ctx.refs;
  const auto& m = p.model;
  doc_section s{"Methods", "methods", 2, {}};
  auto para = [&](std::string text) {
    s.blocks.push_back({doc_block::kind::paragraph, std::move(text)});
  };

  // Citations are numbered in order of first use, so every cite() below runs in text order
  // (never two in one fmt::format call, whose arguments are evaluated in unspecified order).
  const std::string what = p.outcome.empty() ? "" : " of " + p.outcome;
  const std::string comparison = (!p.experimental.empty() && !p.control.empty())
                                     ? fmt::format(" for {} versus {}", p.experimental, p.control)
                                     : "";
  // Mantel-Haenszel and Peto apply to 2x2 counts only (analyses.cpp, prepare()).
  const bool counts = kind && *kind == input_kind::two_by_two;
  const pooling_method method = counts ? m.method : pooling_method::inverse_variance;
  std::string pooled_by = " with inverse-variance weights";
  if (method == pooling_method::mantel_haenszel) {
    const std::string c = measure == effect_measure::odds_ratio
                              ? refs.cite({"mh", "rbg"})
                              : refs.cite({"mh", "greenland1985"});
    pooled_by = fmt::format(
        " by the Mantel-Haenszel method {} in the common-effect model and with inverse-variance "
        "weights in the random-effects model",
        c);
  } else if (method == pooling_method::peto) {
    const std::string c = refs.cite("peto");
    pooled_by = fmt::format(
        " by Peto's one-step method {} in the common-effect model; the random-effects model "
        "pooled the studies' Peto log odds ratios with inverse-variance weights",
        c);
  }
  std::string first;
  if (measure != effect_measure::generic) {
    std::string name(measure_name(measure));
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    first =
        fmt::format("{}s ({}){}{} were pooled{}{}.", name, measure_code(measure), what, comparison,
                    analysis_scale_name(measure).empty()
                        ? std::string()
                        : fmt::format(" on the {} scale", analysis_scale_name(measure)),
                    pooled_by);
  } else {
    const std::string& label = p.reading.measure_label;
    first =
        fmt::format("Study estimates{}{}{} were pooled{}.",
                    label.empty() ? "" : fmt::format(" ({})", label), what, comparison, pooled_by);
  }
  if (kind) {
    switch (*kind) {
      case input_kind::ratio_ci: {
        const std::string c = refs.cite("tierney");
        first +=
            " Each study's standard error was derived from its reported 95% confidence "
            "interval as (ln upper - ln lower) / (2 x 1.96) " +
            c + ".";
        break;
      }
      case input_kind::oe_v: {
        const std::string c = refs.cite({"peto", "tierney"});
        first +=
            " Log hazard ratios and their variances were obtained from the log-rank observed "
            "minus expected events (O - E) and variances (V) as (O - E)/V and 1/V " +
            c + ".";
        break;
      }
      case input_kind::two_by_two:
        first += " " + zero_cell_text(p.reading.zero_cells, method, m.counts);
        break;
      case input_kind::means:
        if (measure == effect_measure::std_mean_difference) {
          const std::string c = refs.cite("hedges");
          first +=
              " Standardised mean differences were computed as Hedges' g with the exact "
              "small-sample correction " +
              c + ".";
        }
        break;
      case input_kind::hr_summaries:
        first += hr_routes_text(ctx);
        break;
      default:
        break;
    }
  }
  // Analyses that pool the 2x2 tables by another method than [model]'s say so.
  if (counts) {
    for (const auto& a : p.analyses) {
      const bool pools = a.type == analysis_type::pool || a.type == analysis_type::subgroup ||
                         a.type == analysis_type::subset || a.type == analysis_type::leave1out ||
                         a.type == analysis_type::cumulative;
      if (!pools || !a.method || *a.method == method) continue;
      const std::string name = a.title.empty() ? a.id : a.title;
      std::string how = "with inverse-variance weights";
      if (*a.method == pooling_method::mantel_haenszel) {
        how = "by the Mantel-Haenszel method " + (measure == effect_measure::odds_ratio
                                                      ? refs.cite({"mh", "rbg"})
                                                      : refs.cite({"mh", "greenland1985"}));
      } else if (*a.method == pooling_method::peto) {
        how = "by Peto's one-step method " + refs.cite("peto");
      }
      first += fmt::format(" The analysis '{}' pooled the tables {} instead.", name, how);
    }
  }
  para(first);

  std::string model_text;
  auto estimator = [&] {
    return fmt::format("{} {}", estimator_name(m.tau2), refs.cite(estimator_key(m.tau2)));
  };
  switch (m.model) {
    case model_choice::auto_i2: {
      const std::string seed = refs.cite("seed");
      const std::string dl = refs.cite("dl");
      model_text = fmt::format(
          "As specified in the plan {}, a common-effect (fixed-effect) model was used when "
          "heterogeneity was low (I\u00b2 < {:g}%) and a random-effects model {} otherwise, with "
          "the between-study variance \u03c4\u00b2 estimated by {}.",
          seed, m.auto_i2_threshold, dl, estimator());
      break;
    }
    case model_choice::common: {
      const std::string dl = refs.cite("dl");
      model_text = fmt::format(
          "A common-effect (fixed-effect, {}) model was used; "
          "a random-effects model {} with \u03c4\u00b2 estimated by {} is "
          "reported alongside.",
          method == pooling_method::mantel_haenszel ? "Mantel-Haenszel"
          : method == pooling_method::peto          ? "Peto"
                                                    : "inverse-variance",
          dl, estimator());
      break;
    }
    case model_choice::random: {
      const std::string dl = refs.cite("dl");
      model_text = fmt::format(
          "A random-effects model {} was used, with \u03c4\u00b2 estimated "
          "by {}.",
          dl, estimator());
      break;
    }
    case model_choice::both: {
      const std::string dl = refs.cite("dl");
      model_text = fmt::format(
          "Both the common-effect model and a random-effects model {} were "
          "fitted, with \u03c4\u00b2 estimated by {}.",
          dl, estimator());
      break;
    }
  }
  std::string ci_text =
      "Confidence intervals for pooled estimates used the normal (Wald-type) "
      "approximation.";
  if (m.ci == ci_method::hksj) {
    ci_text = fmt::format(
        "Confidence intervals for the random-effects mean used the "
        "Hartung-Knapp-Sidik-Jonkman method (t distribution with k - 1 degrees "
        "of freedom) {}.",
        refs.cite({"hksj", "sidik2002"}));
  }
  std::string pi_text;
  if (m.pi != pi_method::none && m.model != model_choice::common) {
    const std::string dist =
        m.pi == pi_method::z      ? "the normal distribution"
        : m.pi == pi_method::t_k2 ? "a t distribution with k - 2 degrees of freedom"
        : m.pi == pi_method::t_k1 ? "a t distribution with k - 1 degrees of freedom"
        : m.ci == ci_method::hksj ? "a t distribution with k - 1 degrees of freedom"
                                  : "the normal distribution";
    pi_text = fmt::format(" {:g}% prediction intervals for the effect in a new study used {} {}.",
                          m.level, dist, refs.cite(m.pi == pi_method::t_k2 ? "riley" : "pi"));
  }
  const std::string i2_def = m.i2 == i2_definition::q_based ? "Q-based" : "\u03c4\u00b2-based";
  const std::string i2_ref = refs.cite("i2");
  const std::string qp_ref = refs.cite("qprofile");
  para(fmt::format(
      "{} {}{} Heterogeneity was assessed with Cochran's Q test, the I\u00b2 statistic {} (the "
      "{} definition is reported in the text; both are in results.json) and \u03c4\u00b2 with "
      "its Q-profile confidence interval {}. All confidence intervals are at the {:g}% level and "
      "all tests two-sided.",
      model_text, ci_text, pi_text, i2_ref, i2_def, qp_ref, m.level));

  // What each planned analysis adds.
  std::vector<std::string> extra;
  for (const auto& a : p.analyses) {
    switch (a.type) {
      case analysis_type::subgroup:
        extra.push_back(fmt::format(
            "Subgroups defined by {} were analysed separately ({}), and differences between "
            "subgroups were tested with the Q test for heterogeneity between subgroups {}.",
            a.by,
            a.common_tau2.value_or(m.common_tau2)
                ? "with a \u03c4\u00b2 shared across subgroups"
                : "with \u03c4\u00b2 estimated within each subgroup",
            refs.cite("subgroup")));
        break;
      case analysis_type::subset:
        extra.push_back(
            fmt::format("A subset analysis included only the studies for which {} "
                        "({}).",
                        a.where, a.title.empty() ? a.id : a.title));
        break;
      case analysis_type::pool:
        if (!a.where.empty()) {
          extra.push_back(
              fmt::format("A subset analysis included only the studies for which {}.", a.where));
        }
        break;
      case analysis_type::leave1out:
        extra.push_back(
            "Robustness was examined in a leave-one-out sensitivity analysis, "
            "omitting each study in turn.");
        break;
      case analysis_type::cumulative:
        extra.push_back(fmt::format("A cumulative meta-analysis added studies in order of {}.",
                                    a.order.empty() ? "their listing" : a.order));
        break;
      case analysis_type::influence: {
        const std::string c1 = refs.cite("influence");
        const std::string c2 = refs.cite("baujat");
        const pooling_method am = a.method.value_or(method);
        extra.push_back(fmt::format(
            "Influential studies were identified with the diagnostics of "
            "Viechtbauer and Cheung {} and a Baujat plot {}{}.",
            c1, c2,
            counts && am != pooling_method::inverse_variance
                ? " (these diagnostics are defined for the inverse-variance model, which they "
                  "refit)"
                : ""));
      } break;
      case analysis_type::bias: {
        const std::string contour = a.contours.empty() ? "" : " " + refs.cite("contour");
        const std::string egger = refs.cite("egger");
        const std::string begg = refs.cite("begg");
        const std::string trimfill = refs.cite("trimfill");
        const std::string fsn = refs.cite({"rosenthal", "orwin", "rosenberg"});
        extra.push_back(fmt::format(
            "Small-study effects and publication bias were assessed with a {}funnel plot{}, "
            "Egger's regression test {}, Begg and Mazumdar's rank correlation test {}, the "
            "trim-and-fill method ({} estimator) {} and fail-safe numbers {}.",
            a.contours.empty() ? "" : "contour-enhanced ", contour, egger, begg,
            to_string(a.trimfill), trimfill, fsn));
      } break;
      case analysis_type::metareg: {
        const std::string c = refs.cite("metareg");
        const bool knha = a.ci.value_or(m.ci) == ci_method::hksj;
        extra.push_back(fmt::format(
            "Mixed-effects meta-regression {} examined {}{}.", c, fmt::join(a.mods, ", "),
            knha ? fmt::format(", with the Knapp-Hartung adjustment of the coefficients' "
                               "standard errors and t and F tests {}",
                               refs.cite("knapp2003"))
                 : std::string()));
      } break;
      case analysis_type::gosh:
        extra.push_back(
            fmt::format("A GOSH plot {} displayed the pooled estimate and I\u00b2 of "
                        "every subset of studies.",
                        refs.cite("gosh")));
        break;
      case analysis_type::permtest:
        extra.push_back(
            fmt::format("A permutation test {} checked the {}.", refs.cite("permtest"),
                        a.mods.empty() ? "pooled effect" : "meta-regression coefficients"));
        break;
      case analysis_type::labbe:
        extra.push_back(
            "A L'Abb\u00e9 plot showed the event rates of the experimental against the control "
            "groups.");
        break;
      case analysis_type::radial:
        extra.push_back(
            "A radial (Galbraith) plot showed each study's standardised estimate against its "
            "precision.");
        break;
      case analysis_type::qqnorm:
        extra.push_back(fmt::format(
            "The standardized residuals were compared with the normal distribution in a QQ plot "
            "with a pseudo-confidence envelope simulated as metafor does (seed {}).",
            a.seed));
        break;
      case analysis_type::drapery:
        extra.push_back(
            "A drapery plot showed the p-value functions of the studies and of the pooled "
            "estimate (R\u00fccker and Schwarzer, 2020).");
        break;
    }
  }
  if (!extra.empty()) para(fmt::format("{}", fmt::join(extra, " ")));
  para(
      fmt::format("All analyses were run with srma {} from the analysis plan {}; every number "
                  "in this report is in results.json. srma's statistics agree with the metafor "
                  "package for R {} to a relative 1e-6.",
                  version(), p.path.substr(p.path.find_last_of('/') + 1), refs.cite("metafor")));
  return s;
}

doc_section references_section(const run_context& ctx) {
  doc_section s{"References", "references", 2, {}};
  doc_block b;
  b.k = doc_block::kind::items;
  b.items = ctx.refs.list();
  s.blocks.push_back(std::move(b));
  return s;
}

}  // namespace srma::detail
