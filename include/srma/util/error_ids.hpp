// File: srma/util/error_ids.hpp
//
// Every error id the library and the command line raise, as named constants (STYLE.md, habit 5).
// An id is stable: once released it keeps its meaning, and docs/error-codes.md lists each one with
// what it means. The family (the part between "srma." and ".E") tells the command line which exit
// code to use. tests/docs/check_error_ids.sh checks that this file, the code and the document agree
// and that no id is written as a string literal anywhere else.
//
// Example:
//
//   if (k == 0) return srma::fail(srma::errc::input_no_studies, "no studies");
//   ...
//   if (result.error().id == srma::errc::model_no_convergence) retry_with_dl();
#pragma once

namespace srma::errc {

// ---- srma.csv: reading delimited text ----------------------------------------------------------
inline constexpr char csv_unterminated_quote[] = "srma.csv.E101";  ///< a quoted field never closes
inline constexpr char csv_field_count[] = "srma.csv.E102";  ///< row length differs from header
inline constexpr char csv_invalid_utf8[] = "srma.csv.E103";
inline constexpr char csv_empty[] = "srma.csv.E104";            ///< no header row
inline constexpr char csv_bad_column_name[] = "srma.csv.E105";  ///< empty or duplicate name
inline constexpr char csv_unreadable[] = "srma.csv.E106";       ///< cannot be opened or read
inline constexpr char csv_text_after_quote[] = "srma.csv.E107";

// ---- srma.input: study data --------------------------------------------------------------------
inline constexpr char input_no_column_set[] = "srma.input.E201";
inline constexpr char input_ambiguous_columns[] = "srma.input.E202";
inline constexpr char input_not_a_number[] = "srma.input.E203";
inline constexpr char input_missing_value[] = "srma.input.E204";
inline constexpr char input_out_of_range[] = "srma.input.E205";  ///< also non-finite values
inline constexpr char input_measure_mismatch[] = "srma.input.E206";
inline constexpr char input_duplicate_label[] = "srma.input.E207";
inline constexpr char input_empty_label[] = "srma.input.E208";
inline constexpr char input_no_studies[] = "srma.input.E209";
inline constexpr char input_bad_2x2[] = "srma.input.E210";
inline constexpr char input_bad_means[] = "srma.input.E211";
inline constexpr char input_bad_ci_level[] = "srma.input.E212";
inline constexpr char input_length_mismatch[] = "srma.input.E213";  ///< arrays of library calls
inline constexpr char input_bad_subgroup[] = "srma.input.E214";
inline constexpr char input_bad_moderator[] = "srma.input.E215";
inline constexpr char input_bad_order_column[] = "srma.input.E216";
inline constexpr char input_bad_zero_cells[] = "srma.input.E217";  ///< add < 0 or not finite
inline constexpr char input_bad_batch[] = "srma.input.E218";       ///< batch: id column, rows apart

// ---- srma.model: fitting -----------------------------------------------------------------------
inline constexpr char model_bad_options[] = "srma.model.E300";
inline constexpr char model_too_few_studies[] = "srma.model.E301";
inline constexpr char model_unknown_estimator[] = "srma.model.E302";
inline constexpr char model_no_convergence[] = "srma.model.E303";
inline constexpr char model_rank_deficient[] = "srma.model.E304";
inline constexpr char model_too_many_permutations[] = "srma.model.E305";

// ---- srma.cli: the command line ----------------------------------------------------------------
inline constexpr char cli_bad_value[] = "srma.cli.E401";
inline constexpr char cli_usage[] = "srma.cli.E402";

// ---- srma.plot: figures ------------------------------------------------------------------------
inline constexpr char plot_bad_extension[] = "srma.plot.E501";
inline constexpr char plot_unwritable[] = "srma.plot.E502";
inline constexpr char plot_unknown_column[] = "srma.plot.E503";
inline constexpr char plot_bad_options[] = "srma.plot.E504";
inline constexpr char plot_too_small[] = "srma.plot.E505";
inline constexpr char plot_render_failed[] = "srma.plot.E506";
inline constexpr char plot_bad_data[] = "srma.plot.E507";
inline constexpr char plot_not_drawable[] = "srma.plot.E508";
inline constexpr char plot_no_backend[] = "srma.plot.E509";

// ---- srma.review: PRISMA counts and quality scores ---------------------------------------------
inline constexpr char prisma_missing_columns[] = "srma.review.E601";
inline constexpr char prisma_unknown_field[] = "srma.review.E602";
inline constexpr char prisma_bad_count[] = "srma.review.E603";
inline constexpr char prisma_bad_list[] = "srma.review.E604";
inline constexpr char prisma_duplicate_field[] = "srma.review.E605";
inline constexpr char nos_no_columns[] = "srma.review.E611";
inline constexpr char nos_not_whole[] = "srma.review.E612";
inline constexpr char nos_out_of_range[] = "srma.review.E613";
inline constexpr char nos_total_mismatch[] = "srma.review.E614";
inline constexpr char nos_bad_thresholds[] = "srma.review.E615";
inline constexpr char nos_no_study_column[] = "srma.review.E616";
inline constexpr char nos_empty_label[] = "srma.review.E617";
inline constexpr char nos_duplicate_label[] = "srma.review.E618";
inline constexpr char records_unknown_format[] = "srma.review.E621";  ///< not RIS, MEDLINE, ...
inline constexpr char records_malformed[] = "srma.review.E622";       ///< a record: file:line, tag
inline constexpr char records_unreadable[] = "srma.review.E623";      ///< missing, empty, binary
inline constexpr char records_bad_xml[] = "srma.review.E624";         ///< XML not well-formed
// Agreement of two reviewers (review/agreement.hpp), NOS item by item (review/nos_items.hpp).
inline constexpr char agreement_empty[] = "srma.review.E630";
inline constexpr char agreement_negative_count[] = "srma.review.E631";
inline constexpr char agreement_bad_level[] = "srma.review.E632";
inline constexpr char nos_items_missing_columns[] = "srma.review.E633";
inline constexpr char nos_items_bad_answer[] = "srma.review.E634";
inline constexpr char nos_items_ambiguous_column[] = "srma.review.E635";
inline constexpr char dedup_bad_options[] = "srma.review.E640";  ///< de-duplication settings

// ---- srma.plan: analysis plans -----------------------------------------------------------------
inline constexpr char plan_unreadable[] = "srma.plan.E701";
inline constexpr char plan_bad_toml[] = "srma.plan.E702";
inline constexpr char plan_unknown_key[] = "srma.plan.E703";
inline constexpr char plan_wrong_type[] = "srma.plan.E704";
inline constexpr char plan_bad_choice[] = "srma.plan.E705";
inline constexpr char plan_missing_key[] = "srma.plan.E706";
inline constexpr char plan_bad_filter[] = "srma.plan.E707";
inline constexpr char plan_filter_column[] = "srma.plan.E708";
inline constexpr char plan_duplicate_id[] = "srma.plan.E709";
inline constexpr char plan_file_outside[] = "srma.plan.E710";

// ---- srma.output: writing reports --------------------------------------------------------------
inline constexpr char output_unwritable[] = "srma.output.E801";
inline constexpr char output_busy[] = "srma.output.E802";
inline constexpr char output_not_ours[] = "srma.output.E803";

// ---- srma.survival: patient data, Kaplan-Meier curves, Cox and log-rank ------------------------
inline constexpr char survival_bad_ipd[] = "srma.survival.E901";      ///< arm,time,event data
inline constexpr char survival_unknown_arm[] = "srma.survival.E902";  ///< arm not in the data
inline constexpr char survival_no_events[] = "srma.survival.E903";    ///< estimate infinite
inline constexpr char survival_bad_points[] = "srma.survival.E904";   ///< digitised points
inline constexpr char survival_bad_at_risk[] = "srma.survival.E905";  ///< numbers at risk
inline constexpr char survival_no_convergence[] = "srma.survival.E906";
inline constexpr char survival_bad_options[] = "srma.survival.E907";

// ---- srma.project: the review project (SQLite) -------------------------------------------------
inline constexpr char project_unreadable[] = "srma.project.E661";  ///< no project, cannot open
inline constexpr char project_exists[] = "srma.project.E662";      ///< init over a project
inline constexpr char project_newer[] = "srma.project.E663";       ///< schema from a newer srma
inline constexpr char project_corrupt[] = "srma.project.E664";     ///< integrity check failed
inline constexpr char project_database[] = "srma.project.E665";    ///< SQLite refused (disk, lock)
inline constexpr char project_reimport[] = "srma.project.E666";    ///< same file imported before
inline constexpr char project_bad_sheet[] = "srma.project.E667";  ///< decision sheet: file:line:col
inline constexpr char project_unknown_record[] = "srma.project.E668";
inline constexpr char project_not_deduplicated[] = "srma.project.E669";
inline constexpr char project_bad_reason[] = "srma.project.E670";    ///< not in the project's list
inline constexpr char project_bad_option[] = "srma.project.E671";    ///< names, settings
inline constexpr char project_not_eligible[] = "srma.project.E672";  ///< record not at this stage
inline constexpr char project_bad_form[] = "srma.project.E673";      ///< extraction or NOS sheet
inline constexpr char project_xlsx_cell[] = "srma.project.E674";     ///< a cell Excel cannot hold

// ---- srma.web: srma serve (the review team's web app) ------------------------------------------
inline constexpr char web_not_signed_in[] = "srma.web.E950";  ///< no valid session
inline constexpr char web_csrf[] = "srma.web.E951";           ///< POST without the CSRF token
inline constexpr char web_forbidden[] = "srma.web.E952";      ///< role, blinding, host rule
inline constexpr char web_bad_request[] = "srma.web.E953";    ///< body or parameters unusable
inline constexpr char web_too_large[] = "srma.web.E954";      ///< body above the size limit
inline constexpr char web_bad_token[] = "srma.web.E955";      ///< unknown or used sign-in token
inline constexpr char web_cannot_listen[] = "srma.web.E956";  ///< host:port cannot be bound
inline constexpr char web_not_found[] = "srma.web.E957";      ///< no such page or API path
// The analysis page (srma/web/analysis.hpp):
inline constexpr char web_bad_table[] = "srma.web.E970";           ///< edited table: row, column
inline constexpr char web_method_not_allowed[] = "srma.web.E971";  ///< e.g. GET on a POST call
inline constexpr char web_internal[] = "srma.web.E972";            ///< unexpected failure (500)

}  // namespace srma::errc
