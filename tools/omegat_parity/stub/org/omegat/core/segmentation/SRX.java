package org.omegat.core.segmentation;

import java.util.ArrayList;
import java.util.List;

import org.omegat.util.Language;

/**
 * Stand-in for OmegaT's SRX class, placed before OmegaT.jar on the class path.
 *
 * <p>The real class builds a JAXB context when it is loaded, and Debian's OmegaT 3.6 jar runs without its JAXB
 * dependencies here. OmegaT's Segmenter only asks its SRX for the rules of a language, so this stand-in answers
 * with the rules the harness read from the SRX file; everything else (finding candidate positions, combining
 * rules, trimming) is OmegaT's own code.
 */
public class SRX {
    private static final SRX CURRENT = new SRX();
    private List<Rule> rules = new ArrayList<>();

    public static SRX getDefault() {
        return CURRENT;
    }

    public static void useRules(List<Rule> rules) {
        CURRENT.rules = rules;
    }

    public List<Rule> lookupRulesForLanguage(Language language) {
        return rules;
    }
}
