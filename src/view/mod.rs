/*!
What a person is shown of the calls, built once for every interactive and file output: the
row of a call in a list, the page of a call (ladder, media, diagnosis) and each message with
its explanations in both languages. The HTML report and the terminal browser read these
views; neither builds its own.
*/

pub mod annotate;
pub mod call;
pub mod dashboard;
pub mod hosts;
pub mod lone;
pub mod message;
pub mod report;
pub mod row;
pub mod table;
pub mod timeline;

pub use annotate::{Annotated, annotate};
pub use call::call_view;
pub use dashboard::Dashboard;
pub use message::{explanation_view, message_views};
pub use report::{Chosen, Detail, Page};
pub use row::CallRow;
