/*!
Rendering: turning computed data into text for people (tables) or programs (JSON). Renderers
never parse and never decide; they lay out what the earlier stages computed.
*/

pub mod table;
