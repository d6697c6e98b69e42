//! The management review pages (9.3): one per review with its inputs a) to g), attendees, the
//! audits, findings and objectives it reviewed and its decisions (9.3.3) with their status,
//! and the list of reviews. Audit and objective pages link back through [`Site::reviewed_in`].

use serde::Serialize;
use serde_json::Value;

use super::findings::FindingRow;
use super::{BuildError, Site, url};
use crate::model::{Date, Isms, ManagementReview};

/// The 9.3.2 inputs, in the order the standard lists them.
const INPUT_TITLES: [&str; 7] = [
    "Status of actions from previous management reviews",
    "Changes in external and internal issues relevant to the ISMS",
    "Changes in needs and expectations of interested parties",
    "Information security performance: nonconformities, monitoring results, audit results, objectives",
    "Feedback from interested parties",
    "Results of risk assessment and status of the risk treatment plan",
    "Opportunities for continual improvement",
];

/// A review in the list, and the head of its page.
#[derive(Clone, Serialize)]
struct ReviewRow {
    id: String,
    url: String,
    date: String,
    chair: Option<Value>,
    audits: usize,
    findings: usize,
    objectives: usize,
    decisions: usize,
    open_decisions: usize,
}

/// A review's own page.
#[derive(Serialize)]
struct ReviewPage {
    #[serde(flatten)]
    row: ReviewRow,
    attendees: Vec<Attendee>,
    inputs: Vec<Input>,
    audits_reviewed: Vec<Value>,
    findings_reviewed: Vec<ReviewedFinding>,
    objectives_reviewed: Vec<Value>,
    decision_list: Vec<DecisionRow>,
    previous: Option<Link>,
    next: Option<Link>,
    diagnostics: Vec<Value>,
}

/// A finding as the register lists it, or only the id a review names when no finding has it.
#[derive(Serialize)]
#[serde(untagged)]
enum FindingOrId {
    Known(Box<FindingRow>),
    Unknown { id: String, url: Option<String> },
}

/// A finding the review looked at: as the register lists it today (`status`), with the status
/// it had on the review's date when its history tells.
#[derive(Serialize)]
struct ReviewedFinding {
    #[serde(flatten)]
    finding: FindingOrId,
    /// The status on the review's date, from the committed versions of the finding's file.
    status_on_review: Option<&'static str>,
    /// Whether that differs from today's `status`.
    status_changed: bool,
}

#[derive(Serialize)]
struct Attendee {
    person: Value,
    top_management: bool,
}

#[derive(Serialize)]
struct Input {
    /// `a)` to `g)`.
    letter: &'static str,
    /// The key in the file, such as `previous_actions`.
    key: &'static str,
    title: &'static str,
    text: Option<String>,
}

#[derive(Serialize)]
struct DecisionRow {
    description: String,
    owner: Option<Value>,
    due: Option<String>,
    completed_on: Option<String>,
    /// `done`, `overdue` or `open`.
    status: &'static str,
}

/// A link to another page of the site.
#[derive(Clone, Serialize)]
pub(super) struct Link {
    pub id: String,
    pub url: String,
    pub date: String,
}

/// The list of reviews.
#[derive(Serialize)]
struct ReviewsPage {
    reviews: Vec<ReviewRow>,
}

/// The reviews, oldest first.
fn by_date(isms: &Isms) -> Vec<&ManagementReview> {
    let mut reviews: Vec<&ManagementReview> = isms.management_reviews.iter().collect();
    reviews.sort_by(|a, b| (a.date.get(), a.id.as_str()).cmp(&(b.date.get(), b.id.as_str())));
    reviews
}

impl Site<'_> {
    /// The management reviews that reviewed an object, by `pick`ing its id out of each.
    pub(super) fn reviewed_in(&self, picks: impl Fn(&ManagementReview) -> bool) -> Vec<Link> {
        by_date(self.isms)
            .into_iter()
            .filter(|r| picks(r))
            .map(review_link)
            .collect()
    }

    pub(super) fn management_reviews(&mut self) -> Result<(), BuildError> {
        if self.isms.management_reviews.is_empty() {
            return Ok(());
        }
        let reviews = by_date(self.isms);
        let mut rows = Vec::new();
        for (n, review) in reviews.iter().enumerate() {
            let page = ReviewPage {
                row: self.review_row(review),
                attendees: review
                    .attendees
                    .iter()
                    .map(|p| Attendee {
                        person: self.person(p.as_str()),
                        top_management: self
                            .isms
                            .person(p.as_str())
                            .is_some_and(|p| *p.top_management.get()),
                    })
                    .collect(),
                inputs: self.inputs(review),
                audits_reviewed: review
                    .audits_reviewed
                    .iter()
                    .map(|a| self.audit_ref(a.as_str()))
                    .collect(),
                findings_reviewed: review
                    .findings_reviewed
                    .iter()
                    .map(|f| self.reviewed_finding(f.as_str(), *review.date.get()))
                    .collect(),
                objectives_reviewed: review
                    .objectives_reviewed
                    .iter()
                    .map(|o| self.objective_ref(o.as_str()))
                    .collect(),
                decision_list: review
                    .decisions
                    .iter()
                    .map(|d| DecisionRow {
                        description: d.description.get().clone(),
                        owner: d.owner.as_ref().map(|o| self.person(o.as_str())),
                        due: d.due.as_ref().map(|d| d.get().to_string()),
                        completed_on: d.completed_on.as_ref().map(|d| d.get().to_string()),
                        status: self.decision_status(d),
                    })
                    .collect(),
                previous: n.checked_sub(1).map(|p| review_link(reviews[p])),
                next: reviews.get(n + 1).map(|r| review_link(r)),
                diagnostics: self.diagnostics_of_file(review.origin.file),
            };
            let value = serde_json::to_value(&page.row).unwrap_or_default();
            let title = format!("{} management review {}", page.row.id, page.row.date);
            self.index_object("review", title, page.row.url.clone(), &value);
            let path = page.row.url.clone();
            let row = page.row.clone();
            self.page("review.html", &path, "reviews", page)?;
            rows.push(row);
        }
        self.index(
            "page",
            "Management reviews".into(),
            "management-reviews.html".into(),
        );
        self.page(
            "reviews.html",
            "management-reviews.html",
            "reviews",
            ReviewsPage { reviews: rows },
        )
    }

    fn reviewed_finding(&self, id: &str, day: Date) -> ReviewedFinding {
        let Some(f) = self.isms.finding(id) else {
            return ReviewedFinding {
                finding: FindingOrId::Unknown {
                    id: id.to_string(),
                    url: None,
                },
                status_on_review: None,
                status_changed: false,
            };
        };
        let then = match (self.outcome.history.as_ref(), self.contents.as_ref()) {
            (Some(history), Some(contents)) => {
                let path = &self.outcome.files.get(f.origin.file).path;
                contents.finding_status_on(history, path, day)
            }
            _ => None,
        };
        ReviewedFinding {
            finding: FindingOrId::Known(Box::new(self.finding_summary(f))),
            status_on_review: then.map(|s| s.as_str()),
            status_changed: then.is_some_and(|s| s != f.status()),
        }
    }

    fn review_row(&self, review: &ManagementReview) -> ReviewRow {
        ReviewRow {
            id: review.id.to_string(),
            url: url("management-reviews", review.id.as_str()),
            date: review.date.get().to_string(),
            chair: review.chair.as_ref().map(|c| self.person(c.as_str())),
            audits: review.audits_reviewed.len(),
            findings: review.findings_reviewed.len(),
            objectives: review.objectives_reviewed.len(),
            decisions: review.decisions.len(),
            open_decisions: review
                .decisions
                .iter()
                .filter(|d| d.completed_on.is_none())
                .count(),
        }
    }

    fn inputs(&self, review: &ManagementReview) -> Vec<Input> {
        let inputs = review.inputs.clone().unwrap_or_default();
        inputs
            .all()
            .into_iter()
            .zip(INPUT_TITLES)
            .map(|((letter, key, text), title)| Input {
                letter,
                key,
                title,
                text: text
                    .map(|t| t.get().clone())
                    .filter(|t| !t.trim().is_empty()),
            })
            .collect()
    }

    fn decision_status(&self, d: &crate::model::Decision) -> &'static str {
        match (&d.completed_on, &d.due) {
            (Some(_), _) => "done",
            (None, Some(due)) if *due.get() < self.options.today => "overdue",
            _ => "open",
        }
    }
}

fn review_link(r: &ManagementReview) -> Link {
    Link {
        id: r.id.to_string(),
        url: url("management-reviews", r.id.as_str()),
        date: r.date.get().to_string(),
    }
}

/// A typed context as the template sees it.
pub(super) fn to_value<T: Serialize>(context: &T) -> Value {
    serde_json::to_value(context).unwrap_or_default()
}
