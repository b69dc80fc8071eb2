package policy

import "testing"

// TestEveryRuleHasWords: the explainer says who each rule is for; a rule
// added without words would explain itself as "".
func TestEveryRuleHasWords(t *testing.T) {
	for r := range actionRules {
		if ruleWords[r] == "" {
			t.Errorf("rule %s has no words in ruleWords", r)
		}
	}
	for r := range ruleWords {
		if _, ok := actionRules[r]; !ok {
			t.Errorf("ruleWords names %s, which is no rule", r)
		}
	}
}
