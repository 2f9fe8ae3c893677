import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.omegat.core.Core;
import org.omegat.core.data.IProject;
import org.omegat.core.data.ProjectProperties;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.util.ProjectFileStorage;

/**
 * Reads a TBX glossary with OmegaT's own reader, as OmegaT does for a project's glossary folder.
 *
 * <p>Usage: java -cp CLASSES:OmegaT.jar GlossaryProbe PROJECT_DIR FILE.tbx
 *
 * <p>The project's omegat.project is loaded with OmegaT's project reader (so it is checked too); the reader
 * asks the current project for its languages, which a stand-in project answers. Output: one line per
 * glossary entry, source term, a tab, target term (backslash, tab and newline escaped).
 */
public final class GlossaryProbe {
    private GlossaryProbe() {
    }

    public static void main(String[] args) throws Exception {
        ProjectProperties props = ProjectFileStorage.loadProjectProperties(new File(args[0]));
        IProject project = (IProject) Proxy.newProxyInstance(IProject.class.getClassLoader(),
                new Class<?>[] {IProject.class}, (proxy, method, arguments) -> {
                    switch (method.getName()) {
                    case "getProjectProperties":
                        return props;
                    case "isProjectLoaded":
                        return true;
                    default:
                        return null;
                    }
                });
        Core.setProject(project);
        List<GlossaryEntry> entries = GlossaryReaderTBX.read(new File(args[1]), false);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("languages\t" + props.getSourceLanguage() + "\t" + props.getTargetLanguage());
        for (GlossaryEntry entry : entries) {
            out.println(escape(entry.getSrcText()) + "\t" + escape(entry.getLocText()));
        }
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }
}
