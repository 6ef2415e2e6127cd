// Package layering holds the test that keeps the import rules of DESIGN.md
// and the README's layout true: domains point only down the domain order
// and use no web or database framework; adapters never import each other;
// only app and cmd wire adapters together.
package layering
