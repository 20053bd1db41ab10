package dev.accretion.node.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.node.lock.PackageLock;
import dev.accretion.node.platform.NodePlatform;
import org.junit.jupiter.api.Test;

/** Which folders of a lock a production install lays out for a target. */
class InstallPlannerTest {
  static NodePlatform x64() throws Exception {
    return NodePlatform.of(
        RuntimeMatrix.load().target("nodejs22.x", Architecture.X86_64.lambdaName()));
  }

  @Test
  void failedOptional_takesItsOptionalDependentsAndWhatOnlyTheyNeed() throws Exception {
    String lock =
        """
        {"lockfileVersion": 3, "packages": {
          "": {"dependencies": {"shared": "1"}, "optionalDependencies": {"wrapper": "1"}, "devDependencies": {"tool": "1"}},
          "node_modules/wrapper": {"version": "1.0.0", "optional": true,
             "dependencies": {"native-mac": "1", "helper": "1", "shared": "1"}},
          "node_modules/native-mac": {"version": "1.0.0", "optional": true, "os": ["darwin"]},
          "node_modules/helper": {"version": "1.0.0", "optional": true},
          "node_modules/shared": {"version": "1.0.0"},
          "node_modules/tool": {"version": "1.0.0", "dev": true},
          "node_modules/both": {"version": "1.0.0", "devOptional": true, "os": ["win32"]}
        }}
        """;
    Tree tree = PackageLock.read("package-lock.json", lock, null);
    InstallPlanner.Plan plan = InstallPlanner.plan(tree, x64());
    assertThat(plan.install()).extracting(TreeNode::path).containsExactly("node_modules/shared");
    assertThat(plan.notes())
        .anyMatch(
            n ->
                n.contains("native-mac@1.0.0")
                    && n.contains("os darwin")
                    && n.contains("wrapper@1.0.0")
                    && n.contains("helper@1.0.0"))
        .anyMatch(n -> n.contains("both@1.0.0"));
  }

  @Test
  void nodeResolution_findsTheNearestFolderUpward() throws Exception {
    String lock =
        """
        {"lockfileVersion": 3, "packages": {
          "": {"dependencies": {"a": "1", "@s/b": "1"}},
          "node_modules/a": {"version": "1.0.0", "dependencies": {"c": "2"}},
          "node_modules/a/node_modules/c": {"version": "2.0.0"},
          "node_modules/@s/b": {"version": "1.0.0", "dependencies": {"c": "1"}},
          "node_modules/c": {"version": "1.0.0"}
        }}
        """;
    Tree tree = PackageLock.read("package-lock.json", lock, null);
    assertThat(tree.lookup("node_modules/a", "c").version()).isEqualTo("2.0.0");
    assertThat(tree.lookup("node_modules/@s/b", "c").version()).isEqualTo("1.0.0");
    assertThat(InstallPlanner.checkInSync(tree, java.util.Set.of(), "package-lock.json")).isEmpty();
  }
}
