import type { Department } from '../api/accounts/index.ts';

/** The department (unidad responsable) of an enlace's grant, as a required `departmentId` field. */
export function DepartmentSelect({
  label,
  departments,
  className = 'field',
}: {
  label: string;
  departments: Department[] | undefined;
  className?: string;
}) {
  return (
    <label className={className}>
      <span>{label}</span>
      <select name="departmentId" required>
        {departments?.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
    </label>
  );
}
