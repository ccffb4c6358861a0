package io.shendu.nn;

import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Holds modules under the names 0, 1, 2, ...; it has no forward of its own. */
public final class ModuleList extends Module implements Iterable<Module> {

    private final List<Module> modules = new ArrayList<>();

    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList add(Module m) {
        registerModule(Integer.toString(modules.size()), m);
        modules.add(m);
        return this;
    }

    public Module get(int index) {
        return modules.get(index);
    }

    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(modules).iterator();
    }

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward; iterate over its modules");
    }
}
